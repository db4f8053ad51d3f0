package io.gatehouse.store.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for one hot INSERT: concurrent callers enqueue their rows, one writer thread inserts
 * everything waiting in a single transaction, commits, and only then releases the callers. Each caller
 * still returns only after its row is committed (a 2xx means stored), but N concurrent requests share one
 * commit, which is what a durable commit costs. A failed batch is retried row by row so one bad row
 * fails only its own caller.
 */
final class GroupCommitInserter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitInserter.class);
    private static final int MAX_BATCH = 256;
    /** How long the writer waits for more rows once it has one, when the last batch showed concurrency. */
    private static final long LINGER_NANOS = 200_000;

    private record Pending(Object[] args, CompletableFuture<Void> done) {
    }

    private final DataSource ds;
    private final String sql;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    GroupCommitInserter(DataSource ds, String sql, String name) {
        this.ds = ds;
        this.sql = sql;
        this.writer = Thread.ofPlatform().daemon().name("group-commit-" + name).start(this::loop);
    }

    /** Inserts one row; returns once it is committed. */
    void insert(Object... args) {
        if (closed) throw new IllegalStateException("store is closed");
        Pending p = new Pending(args, new CompletableFuture<>());
        queue.add(p);
        try {
            p.done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        int lastBatch = 1;
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (lastBatch > 1) linger(batch, lastBatch);
                lastBatch = batch.size();
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit writer failed", e);
                batch.forEach(p -> p.done.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * A commit costs far more than a row, so when requests arrive concurrently it pays to wait a moment for the
     * ones already on their way: up to {@link #LINGER_NANOS}, and no longer than it takes to reach the previous
     * batch's size. A lone caller (previous batch of one) never waits.
     */
    private void linger(List<Pending> batch, int target) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < Math.min(target, MAX_BATCH)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Pending p = queue.poll(left, TimeUnit.NANOSECONDS);
            if (p == null) return;
            batch.add(p);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void write(List<Pending> batch) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Pending p : batch) {
                    bind(ps, p.args);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                batch.forEach(p -> p.done.complete(null));
                return;
            } catch (SQLException e) {
                c.rollback();
                if (batch.size() == 1) {
                    batch.getFirst().done.completeExceptionally(new Jdbc.StoreException("insert", e));
                    return;
                }
            } finally {
                c.setAutoCommit(true);
            }
            for (Pending p : batch) writeOne(c, p);  // isolate the failing row
        } catch (SQLException e) {
            batch.forEach(p -> p.done.completeExceptionally(new Jdbc.StoreException("insert", e)));
        }
    }

    private void writeOne(Connection c, Pending p) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, p.args);
            ps.executeUpdate();
            p.done.complete(null);
        } catch (SQLException e) {
            p.done.completeExceptionally(new Jdbc.StoreException("insert", e));
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
