package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretHasherTest {
    private static final long MIB = 1 << 20;
    private static final int OWASP_KIB = 19 * 1024;

    @Test
    void permitsWhenHeapIsTheServersDefaultThenOneAtATime() {
        assertEquals(1, SecretHasher.permitsFor(64 * MIB, 2, OWASP_KIB));
    }

    @Test
    void permitsWhenDefaultParametersOnTheServersHeapThenTwoAtATime() {
        assertEquals(2, SecretHasher.permitsFor(64 * MIB, 2, 7 * 1024));
    }

    @Test
    void permitsWhenHeapIsLargeThenOnePerCpu() {
        assertEquals(2, SecretHasher.permitsFor(1024 * MIB, 2, OWASP_KIB));
    }

    @Test
    void permitsWhenManyCpusThenBoundedByHalfTheHeap() {
        assertEquals(12, SecretHasher.permitsFor(512 * MIB, 64, OWASP_KIB));  // ~20.6 MiB per check
    }

    @Test
    void permitsWhenHeapIsTinyThenStillOne() {
        assertEquals(1, SecretHasher.permitsFor(16 * MIB, 2, OWASP_KIB));
    }

    @Test
    void verifyWhenRightSecretThenTrueElseFalse() {
        SecretHasher hasher = new SecretHasher(64, 1);
        String hash = hasher.hash("s3cret-value");
        assertTrue(hasher.verify("s3cret-value", hash));
        assertFalse(hasher.verify("s3cret-valuf", hash));
        assertFalse(hasher.verify("s3cret-value", "not a hash"));
    }

    @Test
    void storedMemoryLimitWhenHeapSmallThenConfiguredCostElseHalfTheHeapPerSlotUpToTheParsersBound() {
        int limit = SecretHasher.storedMemoryLimitKib(96 * MIB, 2, 7 * 1024);   // the launcher's heap, two slots
        assertTrue(limit >= OWASP_KIB && limit < 46 * 1024, String.valueOf(limit));   // 19 MiB checks, 46 MiB does not
        assertEquals(7 * 1024, SecretHasher.storedMemoryLimitKib(16 * MIB, 1, 7 * 1024));   // never below the own cost
        assertEquals(Argon2Phc.MAX_MEMORY_KIB, SecretHasher.storedMemoryLimitKib(64L * 1024 * MIB, 1, 7 * 1024));
    }

    @Test
    void verifyWhenStoredHashNeedsMoreMemoryThanTheHeapAffordsThenFalseWithoutComputing() {
        // as if the heap were 8 MiB with one slot: stored hashes up to ~2.9 MiB are checked
        SecretHasher small = new SecretHasher(64, 1, 4, 1, SecretHasher.KEEP_BLOCKS_NANOS, 8 * MIB);
        String within = new SecretHasher(1024, 1).hash("s3cret-value");
        String beyond = new SecretHasher(4096, 1).hash("s3cret-value");   // a row written elsewhere, m=4 MiB
        assertTrue(small.verify("s3cret-value", within));
        assertFalse(small.verify("s3cret-value", beyond));   // even the right secret: never computed
        assertEquals(0, small.keptBlocks());
    }

    @Test
    void blocksWhenLoneCheckThenNoneKeptWhenBurstThenKeptUntilIdle() throws InterruptedException {
        long keep = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300);
        SecretHasher hasher = new SecretHasher(64, 1, 4, 1, keep);
        String hash = hasher.hash("s3cret-value");   // the first computation: nothing came shortly before it
        assertEquals(0, hasher.keptBlocks());
        assertTrue(hasher.verify("s3cret-value", hash));   // right after: a burst, its matrix stays for the next
        int matrix = org.bouncycastle.crypto.generators.Argon2BytesGenerator.getBlockCount(64, 1);   // 64 + working blocks
        assertEquals(matrix, hasher.keptBlocks());
        assertFalse(hasher.verify("wrong", hash));
        assertEquals(matrix, hasher.keptBlocks());   // reused, not doubled
        // idle: the worker thread ends after the keep time and the pool is emptied
        for (int i = 0; i < 400 && hasher.keptBlocks() != 0; i++) Thread.sleep(10);
        assertEquals(0, hasher.keptBlocks());
        Thread.sleep(keep / 1_000_000 * 2);
        assertTrue(hasher.verify("s3cret-value", hash));   // a lone check again after the quiet spell
        assertEquals(0, hasher.keptBlocks());
    }

    /** Starts a thread that acquires a slot in the given lane; the future says what happened. */
    static java.util.concurrent.CompletableFuture<String> acquire(SecretHasher.Admission a, SecretHasher.Priority p,
                                                                 java.util.List<String> order, String name) {
        var done = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                a.acquire(p, true);
                synchronized (order) {
                    order.add(name);
                }
                done.complete("granted");
            } catch (SecretHasher.Busy b) {
                done.complete("busy");
            }
        });
        return done;
    }

    static void awaitWaiting(SecretHasher.Admission a, int n) throws InterruptedException {
        for (int i = 0; i < 1000 && a.waiting() != n; i++) Thread.sleep(5);
        assertEquals(n, a.waiting());
    }

    @Test
    void admissionWhenQueueFullThenBusyAtOnceAndHighLaneFirstAndPushesOutLow() throws Exception {
        var a = new SecretHasher.Admission(1, 2);
        var order = new java.util.ArrayList<String>();
        a.acquire(SecretHasher.Priority.HIGH, true);              // the one slot is taken
        var low1 = acquire(a, SecretHasher.Priority.LOW, order, "low1");
        awaitWaiting(a, 1);
        var low2 = acquire(a, SecretHasher.Priority.LOW, order, "low2");
        awaitWaiting(a, 2);
        long t0 = System.nanoTime();
        assertThrows(SecretHasher.Busy.class, () -> a.acquire(SecretHasher.Priority.LOW, true));
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused at once, not after waiting");
        var high = acquire(a, SecretHasher.Priority.HIGH, order, "high");
        assertEquals("busy", low2.get(10, java.util.concurrent.TimeUnit.SECONDS), "the newest low waiter makes room");
        awaitWaiting(a, 2);
        a.release();
        assertEquals("granted", high.get(10, java.util.concurrent.TimeUnit.SECONDS));
        a.release();
        assertEquals("granted", low1.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(java.util.List.of("high", "low1"), order);
        a.release();
        assertEquals(0, a.waiting());
    }

    @Test
    void admissionWhenUnboundedWaiterThenNeitherRefusedNorCounted() throws Exception {
        var a = new SecretHasher.Admission(1, 0);
        a.acquire(SecretHasher.Priority.HIGH, true);
        assertThrows(SecretHasher.Busy.class, () -> a.acquire(SecretHasher.Priority.HIGH, true), "queue of 0: no waiting");
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            a.acquire(SecretHasher.Priority.HIGH, false);  // administration (hash a new secret) waits
            done.complete(null);
        });
        awaitWaiting(a, 1);
        a.release();
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        a.release();
    }
}
