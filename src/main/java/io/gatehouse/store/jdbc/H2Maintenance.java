package io.gatehouse.store.jdbc;

import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Space housekeeping for the embedded H2 file. WRITE_DELAY=0 (needed so that a commit is in the file before it
 * is acknowledged) also stops H2's background writer, and that thread is what frees dead chunks and compacts
 * the file: without it every commit appends a chunk that is never reused and the file grows without bound
 * (measured: about 8 KB per issued opaque token): with random keys (token hashes) almost every chunk keeps a
 * few live pages, and only the background compaction moves them out. This daemon does that instead, once a second,
 * in the process that owns the file (a CLI connected through AUTO_SERVER has no local store and does nothing).
 */
final class H2Maintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Maintenance.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int TARGET_FILL_RATE = 80;
    private static final int MAX_REWRITE_BYTES = 4 << 20;
    /** At most a quarter of one core, and only while there is garbage. */
    private static final Duration MAX_WORK_PER_TICK = Duration.ofMillis(250);

    private final DataSource ds;
    private final Thread thread;
    private volatile boolean closed;

    private H2Maintenance(DataSource ds) {
        this.ds = ds;
        this.thread = Thread.ofPlatform().daemon().name("h2-maintenance").start(this::loop);
    }

    static H2Maintenance start(DataSource ds) {
        return new H2Maintenance(ds);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
                runOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | SQLException e) {
                if (closed) return;
                LOG.warn("H2 housekeeping failed ({}); will retry", e.getClass().getSimpleName());
            }
        }
    }

    /** Rewrites the live pages of sparse chunks; @return false when this process does not own the file */
    boolean runOnce() throws SQLException {
        try (Connection c = ds.getConnection()) {
            Session s = c.unwrap(JdbcConnection.class).getSession();
            if (!(s instanceof SessionLocal local) || local.getDatabase().getStore() == null) return false;
            MVStore store = local.getDatabase().getStore().getMvStore();
            if (store.isClosed()) return false;
            // Moves the few live pages out of sparse chunks so that they die; each commit then frees dead
            // chunks older than RETENTION_TIME (45 s). (MVStore.compact takes the store's locks itself.)
            long deadline = System.nanoTime() + MAX_WORK_PER_TICK.toNanos();
            while (store.compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES) && System.nanoTime() < deadline) {
                // keep going while there is sparse space to reclaim, within the time budget
            }
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
