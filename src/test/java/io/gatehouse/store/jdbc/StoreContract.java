package io.gatehouse.store.jdbc;

import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Base of the store contract tests: one fresh database per test class (see {@link TestDb}), emptied before
 * each test. Subclasses name the database in {@link #openDb()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {
    protected TestDb testDb;
    private String skipped;

    protected abstract TestDb openDb();

    @BeforeAll
    void openDatabase() {
        try {
            testDb = openDb();
        } catch (TestAbortedException e) {
            skipped = e.getMessage();  // skip each test below, so the reports count them as skipped
        }
    }

    @AfterAll
    void closeDatabase() {
        if (testDb != null) testDb.close();
    }

    @BeforeEach
    void emptyTables() {
        if (skipped != null) Assumptions.abort(skipped);
        testDb.clear("tokens", "revoked_jwts", "signing_keys", "clients");
    }

    /** Runs {@code n} tasks on {@code n} threads released at the same moment; returns their results in order. */
    static <T> List<T> race(int n, Callable<T> task) throws Exception {
        return race(n, i -> task.call());
    }

    interface IndexedTask<T> {
        T call(int i) throws Exception;
    }

    static <T> List<T> race(int n, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call(index);
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
