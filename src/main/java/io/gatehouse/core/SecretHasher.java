package io.gatehouse.core;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.util.concurrent.Semaphore;

/**
 * Argon2id hashing for client secrets and user passwords (PHC string format). Parameters follow the
 * OWASP minimum in its memory-light form (7 MiB, 5 passes, 1 lane: the cheat sheet lists it as equivalent to
 * 19 MiB and 2 passes, at about the same CPU cost, with far less heap per check, which on a small heap is what
 * decides sign-ins per second: garbage collection, not hashing); a stored hash keeps its own parameters, so they can be
 * raised later without breaking old hashes.
 *
 * <p>Each computation allocates its memory cost on the heap (password4j also copies the block matrix), so
 * the number running at once is bounded by the heap as well as the CPUs: without that, a few parallel
 * sign-ins (or wrong client secrets) exhaust a small heap (the server runs with -Xmx64m) and every request
 * fails with OutOfMemoryError. Share ONE instance between all users of Argon2id in a process.
 */
public final class SecretHasher {
    private final Argon2Function function;
    private final Semaphore permits;

    public SecretHasher() {
        this(7 * 1024, 5);
    }

    /** Tests may use cheaper parameters. */
    public SecretHasher(int memoryKib, int iterations) {
        this.function = Argon2Function.getInstance(memoryKib, iterations, 1, 32, Argon2.ID);
        this.permits = new Semaphore(permitsFor(Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors(), memoryKib), true);
    }

    /** How many Argon2id computations may run at once: at most one per CPU, and within half the heap. */
    static int permitsFor(long maxHeapBytes, int cpus, int memoryKib) {
        long perHash = 2L * memoryKib * 1024 + (1 << 20);   // block matrix, password4j's copy, small buffers
        return (int) Math.max(1, Math.min(cpus, maxHeapBytes / 2 / perHash));
    }

    public String hash(String secret) {
        permits.acquireUninterruptibly();
        try {
            return Password.hash(secret).addRandomSalt(16).with(function).getResult();
        } finally {
            permits.release();
        }
    }

    /** Constant-time verification against a stored PHC string; false for a malformed hash. */
    public boolean verify(String secret, String storedHash) {
        permits.acquireUninterruptibly();
        try {
            return Password.check(secret, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
        } catch (RuntimeException e) {
            return false;
        } finally {
            permits.release();
        }
    }
}
