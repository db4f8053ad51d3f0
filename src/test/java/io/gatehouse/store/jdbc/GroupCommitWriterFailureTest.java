package io.gatehouse.store.jdbc;

import io.gatehouse.core.port.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link GroupCommitWriter} when the database goes away (PgOutageTest shows it end to end, this pins it down):
 * a write on a connection that breaks is a 503 (StoreUnavailableException) even though the rollback fails too, and
 * when no connection can be had, what queued up meanwhile fails with it instead of waiting as long again.
 */
class GroupCommitWriterFailureTest {

    @Test
    void writeWhenConnectionBreaksAndRollbackFailsTooThenUnavailableNotServerError() {
        DataSource ds = dataSource(() -> connection(method -> switch (method) {
            case "rollback" -> new SQLException("Connection is closed");  // Hikari, once the connection is evicted
            default -> null;
        }));
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> w.submit(c -> {
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }));
            assertEquals("08006", ((SQLException) e.getCause()).getSQLState());
            assertEquals("Connection is closed", e.getCause().getSuppressed()[0].getMessage());
        }
    }

    @Test
    void writeWhenNoConnectionThenWritesQueuedMeanwhileFailAtOnceWithoutAnotherWait() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        DataSource ds = dataSource(() -> {
            attempts.incrementAndGet();
            asked.countDown();
            await(release);
            throw new SQLTransientConnectionException("gatehouse - Connection is not available, request timed out after 3000ms.", "08001");
        });
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            List<Thread> callers = new ArrayList<>();
            List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                outcomes.add(outcome);
                callers.add(Thread.ofPlatform().start(() -> {
                    try {
                        w.submit(c -> 1);
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                }));
                if (i == 0) assertTrue(asked.await(30, TimeUnit.SECONDS), "the writer asks for a connection");
            }
            // The other two are queued (waiting for their result) while the writer waits for a connection.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : callers.subList(1, 3)) {
                while (t.getState() != Thread.State.TIMED_WAITING) {
                    assertTrue(System.nanoTime() < deadline, "caller never waits for its write");
                    Thread.sleep(5);
                }
            }
            release.countDown();
            for (CompletableFuture<Throwable> o : outcomes) {
                assertInstanceOf(StoreUnavailableException.class, o.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, attempts.get(), "one wait for a connection, not one per batch");
        }
    }

    @Test
    void submitWhenQueueFullThenUnavailableAtOnceAndTheQueuedWritesStillRun() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DataSource ds = dataSource(() -> {
            asked.countDown();
            await(release);  // the database is stuck: the writer holds one batch, everything else queues
            return connection(method -> null);
        });
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            AtomicInteger written = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            callers.add(Thread.ofVirtual().start(() -> w.submit(c -> written.incrementAndGet())));
            assertTrue(asked.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < GroupCommitWriter.MAX_QUEUE; i++) {
                callers.add(Thread.ofVirtual().start(() -> w.submit(c -> written.incrementAndGet())));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : callers) {  // every caller has queued its write and waits for it
                while (t.getState() != Thread.State.TIMED_WAITING) {
                    assertTrue(System.nanoTime() < deadline, "caller never queued");
                    Thread.sleep(1);
                }
            }
            StoreUnavailableException full = assertThrows(StoreUnavailableException.class, () -> w.submit(c -> 0));
            assertEquals("too many writes waiting", full.getMessage());
            assertEquals(1, full.retryAfterSeconds());
            release.countDown();
            for (Thread t : callers) t.join(30_000);
            assertEquals(GroupCommitWriter.MAX_QUEUE + 1, written.get(), "the queued writes ran once the database answered");
        }
    }

    interface ConnectionSupplier {
        Connection get() throws SQLException;
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A connection whose methods do nothing, except those for which {@code failures} names an exception. */
    static Connection connection(Function<String, SQLException> failures) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    SQLException e = failures.apply(method.getName());
                    if (e != null) throw e;
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    static DataSource dataSource(ConnectionSupplier connections) {
        return new DataSource() {
            public Connection getConnection() throws SQLException {
                return connections.get();
            }

            public Connection getConnection(String user, String password) throws SQLException {
                return connections.get();
            }

            public PrintWriter getLogWriter() {
                return null;
            }

            public void setLogWriter(PrintWriter out) {
            }

            public void setLoginTimeout(int seconds) {
            }

            public int getLoginTimeout() {
                return 0;
            }

            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            public <T> T unwrap(Class<T> iface) {
                return null;
            }

            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
