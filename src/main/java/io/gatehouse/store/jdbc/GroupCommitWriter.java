package io.gatehouse.store.jdbc;

import io.gatehouse.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: callers hand in units of write work, one writer thread runs everything waiting in one transaction,
 * commits, and only then releases the callers. Each caller still returns only after its work is committed (a 2xx
 * means stored), but concurrent callers share one commit, which is what a durable (fsync) commit costs. Each unit
 * is atomic: when one fails, the batch is rolled back and every unit is run again in a transaction of its own, so a
 * bad unit fails only its own caller.
 *
 * <p>Bounded: at most {@link #MAX_QUEUE} units wait; when the queue is full a caller gets
 * {@link StoreUnavailableException} at once. A caller waits at most {@link #MAX_WAIT_MS} for its unit to start; one
 * that gives up is taken out, so its 503 means "not written".
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH = 256;
    static final int MAX_QUEUE = 4096;
    static final long MAX_WAIT_MS = 10_000;
    /** How long the writer waits for more work once it has some, when the last batch showed concurrency. */
    private static final long LINGER_NANOS = 200_000;
    /** How long deferred work ({@link #submitDeferred}) waits for a write that is waited for, to share its commit. */
    static final long DEFER_NANOS = 50_000_000;

    /** How a transaction starts and ends on this database. */
    enum Transactions {
        /** SQLite: take the write lock at BEGIN (no deadlock between a read and a later write). */
        SQLITE_IMMEDIATE,
        /** PostgreSQL: the JDBC transaction API. */
        JDBC
    }

    private static final int QUEUED = 0, TAKEN = 1, ABANDONED = 2;

    private static final class Pending<T> {
        final Database.Work<T> work;
        final boolean deferred;
        final CompletableFuture<T> done = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        T result;

        Pending(Database.Work<T> work, boolean deferred) {
            this.work = work;
            this.deferred = deferred;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        void complete() {
            done.complete(result);
        }
    }

    private final DataSource ds;
    private final Transactions tx;
    private final ArrayBlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(MAX_QUEUE);
    private final Thread writer;
    private volatile boolean closed;

    GroupCommitWriter(DataSource ds, Transactions tx, String name) {
        this.ds = ds;
        this.tx = tx;
        this.writer = Thread.ofPlatform().daemon().name("group-commit-" + name).start(this::loop);
    }

    /** Runs {@code work} in a transaction; returns its result once that transaction is committed. */
    <T> T submit(Database.Work<T> work) {
        if (closed) throw new IllegalStateException("store is closed");
        Pending<T> p = new Pending<>(work, false);
        if (!queue.offer(p)) {
            throw new StoreUnavailableException("too many writes waiting", 1, null);
        }
        try {
            return await(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a write", 1, e);
        }
    }

    /**
     * Queues {@code work} without waiting for it: it is committed in the same transaction as the next write that a
     * caller waits for ({@link #submit}), or alone after {@link #DEFER_NANOS}, or at {@link #close}. So a caller that
     * defers one write and then submits another gets both in one durable commit, the deferred one first. A failure is
     * logged (there is no caller to tell).
     *
     * @throws StoreUnavailableException when the queue is full (not written)
     */
    void submitDeferred(Database.Work<?> work) {
        if (closed) throw new IllegalStateException("store is closed");
        Pending<?> p = new Pending<>(work, true);
        if (!queue.offer(p)) {
            throw new StoreUnavailableException("too many writes waiting", 1, null);
        }
        p.done.whenComplete((r, e) -> {
            if (e != null) LOG.warn("a deferred write failed: {}", e.toString());
        });
    }

    private static <T> T await(Pending<T> p) throws InterruptedException {
        try {
            try {
                return p.done.get(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (p.state.compareAndSet(QUEUED, ABANDONED)) {
                    throw new StoreUnavailableException("the database did not take the write in time", 1, null);
                }
                return p.done.get();  // already running: its outcome is decided within the database's own bounds
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        int lastBatch = 1;
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                take(first, batch);
                drain(batch);
                if (lastBatch > 1) linger(batch, lastBatch);
                if (!batch.isEmpty() && waitedFor(batch) == 0) awaitWaitedFor(batch);
                lastBatch = Math.max(1, waitedFor(batch));
                if (!batch.isEmpty()) write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("group commit writer failed", e);
                for (Pending<?> p : batch) p.done.completeExceptionally(new IllegalStateException("write failed"));
            } finally {
                batch.clear();
            }
        }
    }

    private static void take(Pending<?> p, List<Pending<?>> batch) {
        if (p.state.compareAndSet(QUEUED, TAKEN)) batch.add(p);  // else its caller gave up: not written
    }

    private void drain(List<Pending<?>> batch) {
        while (batch.size() < MAX_BATCH) {
            Pending<?> p = queue.poll();
            if (p == null) return;
            take(p, batch);
        }
    }

    /**
     * A durable commit costs far more than a row, so when work arrives concurrently it pays to wait a moment for what
     * is already on its way: up to {@link #LINGER_NANOS}, and no longer than it takes to reach the previous batch's
     * size. A lone caller (previous batch of one) never waits.
     */
    private void linger(List<Pending<?>> batch, int target) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < Math.min(target, MAX_BATCH)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Pending<?> p = queue.poll(left, TimeUnit.NANOSECONDS);
            if (p == null) return;
            take(p, batch);
            drain(batch);
        }
    }

    /** How many units of the batch have a caller waiting (not deferred). */
    private static int waitedFor(List<Pending<?>> batch) {
        int n = 0;
        for (Pending<?> p : batch) {
            if (!p.deferred) n++;
        }
        return n;
    }

    /** A batch of deferred work only: waits (at most {@link #DEFER_NANOS}) for a write that someone waits for. */
    private void awaitWaitedFor(List<Pending<?>> batch) throws InterruptedException {
        long deadline = System.nanoTime() + DEFER_NANOS;
        while (batch.size() < MAX_BATCH && waitedFor(batch) == 0 && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Pending<?> p = queue.poll(Math.min(left, 10_000_000), TimeUnit.NANOSECONDS);  // sees close() within 10 ms
            if (p == null) continue;
            take(p, batch);
            drain(batch);
        }
    }

    private void write(List<Pending<?>> batch) {
        Connection connection;
        try {
            connection = ds.getConnection();
        } catch (SQLException e) {
            RuntimeException failure = Jdbc.failure("write", e);
            batch.forEach(p -> p.done.completeExceptionally(failure));
            // The pool found no connection within its timeout (database down): what queued up meanwhile would wait
            // that long again before failing the same way, so it fails now (not written: its callers get 503).
            if (failure instanceof StoreUnavailableException) {
                for (Pending<?> p; (p = queue.poll()) != null; ) {
                    if (p.state.compareAndSet(QUEUED, TAKEN)) p.done.completeExceptionally(failure);
                }
            }
            return;
        }
        try (Connection c = connection) {
            if (runAll(c, batch)) {
                batch.forEach(Pending::complete);
                return;
            }
            if (batch.size() == 1) return;  // runAll failed it already
            for (Pending<?> p : batch) {   // isolate the failing unit
                if (runAll(c, List.of(p))) p.complete();
            }
        } catch (SQLException e) {
            RuntimeException failure = Jdbc.failure("write", e);
            batch.forEach(p -> p.done.completeExceptionally(failure));
        }
    }

    /**
     * Runs the units in one transaction and commits. @return true when committed; false when it was rolled back,
     * in which case a batch of one has been failed with the cause, and a larger batch is left to the caller
     * @throws SQLException when the transaction could not be started, committed or rolled back (every unit fails)
     */
    private boolean runAll(Connection c, List<Pending<?>> units) throws SQLException {
        begin(c);
        for (Pending<?> p : units) {
            try {
                p.run(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    rollback(c);
                } catch (SQLException r) {
                    // The connection is gone (database down): every unit fails, with the error that broke it
                    // (a rollback on a closed connection says only "Connection is closed", which is no 503).
                    e.addSuppressed(r);
                    if (e instanceof SQLException s) throw s;
                    throw r;
                }
                if (units.size() == 1) {
                    p.done.completeExceptionally(e instanceof SQLException s ? Jdbc.failure("write", s) : e);
                }
                return false;
            }
        }
        try {
            commit(c);
            return true;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private void begin(Connection c) throws SQLException {
        if (tx == Transactions.SQLITE_IMMEDIATE) {
            exec(c, "begin immediate");
        } else {
            c.setAutoCommit(false);
        }
    }

    private void commit(Connection c) throws SQLException {
        if (tx == Transactions.SQLITE_IMMEDIATE) {
            exec(c, "commit");
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private void rollback(Connection c) throws SQLException {
        if (tx == Transactions.SQLITE_IMMEDIATE) {
            try {
                exec(c, "rollback");
            } catch (SQLException e) {
                // SQLite rolled back by itself: it does on SQLITE_FULL and I/O errors at COMMIT (a full disk). The
                // connection stays usable and the next BEGIN works once there is space (DiskFullTest).
                if (!e.getMessage().contains("no transaction is active")) throw e;
            }
        } else {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            rollback(c);
        } catch (SQLException e) {
            LOG.debug("rollback after a failed commit failed too", e);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
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
