package io.gatehouse.core;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Argon2id hashing for client secrets and user passwords (PHC string format). Parameters follow the
 * OWASP minimum in its memory-light form (7 MiB, 5 passes, 1 lane: the cheat sheet lists it as equivalent to
 * 19 MiB and 2 passes, at about the same CPU cost, with far less heap per check, which on a small heap is what
 * decides sign-ins per second: garbage collection, not hashing); a stored hash keeps its own parameters, so they can be
 * raised later without breaking old hashes.
 *
 * <p>Each computation needs its memory cost on the heap, so the number running at once is bounded by the heap as well as
 * the CPUs: without that, a few parallel sign-ins (or wrong client secrets) exhaust a small heap and every request fails
 * with OutOfMemoryError. The block matrices are kept for the next check (BouncyCastle's Argon2 with a block pool with
 * room for one matrix per slot, see {@link Argon2Phc}), so a check allocates almost nothing: allocating the matrix anew
 * each time (as password4j did, which also copied it from a template) sent megabytes per check through the serial
 * collector's old generation and cost more CPU in full collections than the hash itself. Share ONE instance between
 * all users of Argon2id in a process.
 *
 * <p>Admission control: the checks of requests ({@link #verify(String, String, Priority)}) wait in a queue of at
 * most {@code maxWaiting}; when it is full the caller gets {@link Busy} at once (503 with Retry-After), so a flood
 * never builds a queue that grows. The queue has two lanes: {@link Priority#HIGH} waiters are always served before
 * {@link Priority#LOW} ones, and a HIGH arrival at a full queue pushes out the newest LOW waiter (which gets
 * {@link Busy}). Callers pick the lane from the source address, never from whether an account exists (that would
 * tell an attacker which client ids exist).
 */
public final class SecretHasher {
    /** Default bound of the queue of checks waiting for a hashing slot. */
    public static final int DEFAULT_QUEUE = 16;
    /** A check never waits longer than this for a slot (a hang guard: the queue bound normally keeps waits short). */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** What {@link Busy} asks the caller to wait. */
    public static final long BUSY_RETRY_AFTER_SECONDS = 1;

    /** Which lane of the waiting queue a check joins. */
    public enum Priority { HIGH, LOW }

    /** The hashing queue is full (or a waiter was pushed out): nothing was checked; retry later. */
    public static final class Busy extends RuntimeException {
        public Busy() {
            super("too many password checks waiting", null, false, false);
        }

        public long retryAfterSeconds() {
            return BUSY_RETRY_AFTER_SECONDS;
        }
    }

    /** Salt and output length of new hashes (bytes), the same as the hashes password4j wrote before. */
    private static final int SALT_BYTES = 16, HASH_BYTES = 32;

    private final int memoryKib;
    private final int iterations;
    /** The largest memory cost of a stored hash this process checks ({@link #storedMemoryLimitKib}). */
    private final int storedMemoryLimitKib;
    /**
     * Checks that start at most this long after the previous one keep their block matrices for the next (a burst of
     * sign-ins or of wrong secrets); a check after a quiet spell drops its blocks when it is done, and the pool is
     * emptied when the hashing threads end after this long without work. So an idle server, or one that only issues
     * tokens to clients whose secrets it already checked, holds no matrix (7 MiB per slot) on its heap.
     */
    static final long KEEP_BLOCKS_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Heap of one 1 KiB Argon2 block: a {@code long[128]} in a small object. */
    private static final long BYTES_PER_BLOCK = 1060;

    /**
     * The blocks of the Argon2 matrices, kept between checks (cleared when returned) while checks come often (see
     * {@link #KEEP_BLOCKS_NANOS}): room for one matrix of the configured size per slot, so at most {@code permits}
     * matrices; a check of a stored hash with a larger memory cost takes what is there and allocates the rest, which is
     * dropped afterwards. Owned by this instance (not by the worker threads), so a discarded hasher frees it at once.
     */
    private final Argon2Phc.OrderedBlockPool blocks;
    private final long keepBlocksNanos;
    /** When the latest computation started ({@link System#nanoTime()}). */
    private volatile long lastStart;
    private final SecureRandom random = new SecureRandom();
    private final Admission admission;
    private final Object dummyLock = new Object();
    private volatile String dummyHash;
    /**
     * Where the hashes run: platform threads, one per slot. Argon2id is pure CPU for a tenth of a second; on a virtual
     * thread it would hold a carrier all that time (virtual threads are not preempted), and with as many slots as
     * carriers no other request could even be read meanwhile. On platform threads the OS shares the CPUs with the
     * carriers, so requests that need no hashing (and the high lane's next check) keep moving during a flood.
     */
    private final ThreadPoolExecutor workers;
    private final java.util.concurrent.atomic.LongAdder checks = new java.util.concurrent.atomic.LongAdder();

    public SecretHasher() {
        this(7 * 1024, 5, DEFAULT_QUEUE);
    }

    /** @param maxWaiting how many checks may wait for a hashing slot (config {@code hash-queue-size}) */
    public SecretHasher(int maxWaiting) {
        this(7 * 1024, 5, maxWaiting);
    }

    /** Tests may use cheaper parameters. */
    public SecretHasher(int memoryKib, int iterations) {
        this(memoryKib, iterations, DEFAULT_QUEUE);
    }

    public SecretHasher(int memoryKib, int iterations, int maxWaiting) {
        this(memoryKib, iterations, maxWaiting, permitsFor(Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(), memoryKib));
    }

    SecretHasher(int memoryKib, int iterations, int maxWaiting, int permits) {
        this(memoryKib, iterations, maxWaiting, permits, KEEP_BLOCKS_NANOS);
    }

    /** Tests: with {@code keepBlocksNanos} instead of {@link #KEEP_BLOCKS_NANOS}. */
    SecretHasher(int memoryKib, int iterations, int maxWaiting, int permits, long keepBlocksNanos) {
        this(memoryKib, iterations, maxWaiting, permits, keepBlocksNanos, Runtime.getRuntime().maxMemory());
    }

    /** Tests: as if the heap were {@code maxHeapBytes} (for {@link #storedMemoryLimitKib}). */
    SecretHasher(int memoryKib, int iterations, int maxWaiting, int permits, long keepBlocksNanos, long maxHeapBytes) {
        if (maxWaiting < 0) throw new IllegalArgumentException("the hashing queue size must not be negative");
        if (memoryKib < 8 || iterations < 1) throw new IllegalArgumentException("Argon2id needs m >= 8 KiB and t >= 1");
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.storedMemoryLimitKib = storedMemoryLimitKib(maxHeapBytes, permits, memoryKib);
        this.keepBlocksNanos = keepBlocksNanos;
        this.lastStart = System.nanoTime() - 2 * keepBlocksNanos;
        this.blocks = new Argon2Phc.OrderedBlockPool(permits * Argon2BytesGenerator.getBlockCount(memoryKib, 1));
        this.admission = new Admission(permits, maxWaiting);
        AtomicInteger n = new AtomicInteger();
        // a worker ends after keepBlocksNanos without work: idle hashers keep no threads and no blocks
        this.workers = new ThreadPoolExecutor(permits, permits, keepBlocksNanos, TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon().name("argon2-" + n.incrementAndGet())
                        .unstarted(() -> {
                            try {
                                r.run();
                            } finally {
                                blocks.clear();
                            }
                        }));
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** How many Argon2id computations may run at once: at most one per CPU, and within half the heap. */
    static int permitsFor(long maxHeapBytes, int cpus, int memoryKib) {
        long perHash = bytesPerHash(memoryKib);
        return (int) Math.max(1, Math.min(cpus, maxHeapBytes / 2 / perHash));
    }

    /**
     * The largest memory cost a stored hash may have to be checked here: every slot computing at that cost still fits
     * in half the heap (the budget of {@link #permitsFor}), and never less than the configured cost. A stored hash
     * beyond it (Gatehouse writes only its configured cost; a hand-edited, damaged or foreign row) matches nothing:
     * computing it could exhaust the heap, and an OutOfMemoryError there would hit every other thread of the
     * process, the database writer among them. 22 MiB per slot with the launcher's 96 MiB heap and two slots, so the
     * OWASP's 19 MiB still checks.
     */
    static int storedMemoryLimitKib(long maxHeapBytes, int permits, int memoryKib) {
        long perSlot = maxHeapBytes / 2 / Math.max(1, permits) - bytesPerHash(0);
        return (int) Math.max(memoryKib, Math.min(Argon2Phc.MAX_MEMORY_KIB, perSlot / BYTES_PER_BLOCK));
    }

    /**
     * Heap one computation holds: its block matrix (1 KiB blocks, each a {@code long[128]} in a small object: ~1,060
     * bytes), kept in the pool between checks, and small buffers. The limit of half the heap therefore bounds what the
     * pool keeps as well as what the checks use.
     */
    static long bytesPerHash(int memoryKib) {
        return memoryKib * BYTES_PER_BLOCK + (1 << 20);
    }

    /**
     * The hash that unknown clients and users are checked against, so that they cost the same work as a wrong secret
     * for a known one: made once, on first need (not at start-up), from a random value nobody knows.
     */
    public String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            synchronized (dummyLock) {
                h = dummyHash;
                if (h == null) {
                    h = hash("gatehouse-dummy-" + new java.security.SecureRandom().nextLong());
                    dummyHash = h;
                }
            }
        }
        return h;
    }

    /** Hashes a new secret; waits for a slot however long the queue (administration, never a request's check). */
    public String hash(String secret) {
        admission.acquire(Priority.HIGH, false);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return compute(() -> Argon2Phc.hash(secret, salt, memoryKib, iterations, 1, HASH_BYTES, blocks));
    }

    /** Like {@link #verify(String, String, Priority)} in the high lane, but waits however long the queue. */
    public boolean verify(String secret, String storedHash) {
        admission.acquire(Priority.HIGH, false);
        return check(secret, storedHash);
    }

    /**
     * Constant-time verification against a stored PHC string; false for a malformed hash.
     *
     * @throws Busy when the queue is full (nothing was checked)
     */
    public boolean verify(String secret, String storedHash, Priority priority) {
        admission.acquire(priority, true);
        return check(secret, storedHash);
    }

    /** Checks waiting for a slot right now (for tests and metrics). */
    public int waiting() {
        return admission.waiting();
    }

    /** Argon2 blocks kept for the next check right now (tests). */
    int keptBlocks() {
        return blocks.size();
    }

    /** Secrets checked against a stored hash so far (tests, metrics). */
    public long checks() {
        return checks.sum();
    }

    private boolean check(String secret, String storedHash) {
        checks.increment();
        return compute(() -> {
            try {
                return Argon2Phc.verify(secret, storedHash, storedMemoryLimitKib, blocks);
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /**
     * Runs admitted work on a worker and waits for it (not interruptibly: the slot is held until the work is done,
     * whoever waits for it). The slot is released when the work ends.
     */
    private <T> T compute(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                long start = System.nanoTime();
                boolean burst = start - lastStart <= keepBlocksNanos;
                lastStart = start;
                T value = null;
                Throwable failure = null;
                try {
                    value = work.get();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (!burst) blocks.clear();  // a lone check keeps nothing
                    admission.release();
                }
                if (failure == null) result.complete(value);
                else result.completeExceptionally(failure);
            });
        } catch (RuntimeException e) {
            admission.release();
            throw e;
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Slots for running hashes and the bounded two-lane queue in front of them. */
    static final class Admission {
        private static final int WAITING = 0, GRANTED = 1, REFUSED = 2;

        private static final class Waiter {
            final Thread thread = Thread.currentThread();
            final boolean bounded;
            volatile int state = WAITING;

            Waiter(boolean bounded) {
                this.bounded = bounded;
            }
        }

        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Waiter> high = new ArrayDeque<>();
        private final ArrayDeque<Waiter> low = new ArrayDeque<>();
        private final int maxWaiting;
        private int free;
        private int boundedWaiting;

        Admission(int permits, int maxWaiting) {
            this.free = permits;
            this.maxWaiting = maxWaiting;
        }

        void acquire(Priority priority, boolean bounded) {
            Waiter w = new Waiter(bounded);
            lock.lock();
            try {
                if (free > 0 && high.isEmpty() && low.isEmpty()) {
                    free--;
                    return;
                }
                if (bounded && boundedWaiting >= maxWaiting) {
                    Waiter victim = priority == Priority.HIGH ? newestBounded(low) : null;
                    if (victim == null) throw new Busy();
                    low.removeLastOccurrence(victim);
                    boundedWaiting--;
                    victim.state = REFUSED;
                    LockSupport.unpark(victim.thread);
                }
                (priority == Priority.HIGH ? high : low).addLast(w);
                if (bounded) boundedWaiting++;
            } finally {
                lock.unlock();
            }
            long deadline = System.nanoTime() + MAX_WAIT_NANOS;
            while (w.state == WAITING) {
                long left = deadline - System.nanoTime();
                if (bounded && left <= 0) {
                    lock.lock();
                    try {
                        if (w.state == WAITING) {
                            high.remove(w);
                            low.remove(w);
                            boundedWaiting--;
                            w.state = REFUSED;
                        }
                    } finally {
                        lock.unlock();
                    }
                    break;
                }
                LockSupport.parkNanos(this, bounded ? left : MAX_WAIT_NANOS);
            }
            if (w.state == REFUSED) throw new Busy();
        }

        void release() {
            lock.lock();
            try {
                Waiter next = high.pollFirst();
                if (next == null) next = low.pollFirst();
                if (next == null) {
                    free++;
                    return;
                }
                if (next.bounded) boundedWaiting--;
                next.state = GRANTED;  // the slot passes straight to it
                LockSupport.unpark(next.thread);
            } finally {
                lock.unlock();
            }
        }

        int waiting() {
            lock.lock();
            try {
                return high.size() + low.size();
            } finally {
                lock.unlock();
            }
        }

        private static Waiter newestBounded(ArrayDeque<Waiter> lane) {
            for (var it = lane.descendingIterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.bounded) return w;
            }
            return null;
        }
    }
}
