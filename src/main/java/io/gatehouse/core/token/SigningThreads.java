package io.gatehouse.core.token;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs signatures on a few platform threads (one per CPU) instead of on the request's virtual thread.
 *
 * <p>Why: requests run on virtual threads, which share the JVM's carrier threads (one per CPU) and are never
 * pre-empted. A signature is CPU-bound (RSA-2048: most of a token's cost) and, in native code, holds its carrier
 * until it is done; with two carriers, a few connections signing kept the others' ready requests from being read
 * and answered, and the tail grew far beyond the queue's length (p99 40–100x the median at 8 connections). On
 * platform threads the work queues in arrival order and the operating system shares the CPUs fairly, while the
 * carriers stay free for network I/O. Measured in docs/operations.md ("Tail latency: where the p99 came from").
 *
 * <p>Bounded: the queue holds at most one signature per request being processed, and requests in processing are
 * limited by {@code max-concurrent-requests}. A caller that is not a virtual thread (the CLI, the key scheduler,
 * tests) signs inline.
 */
final class SigningThreads {
    private static final ExecutorService POOL = pool(Runtime.getRuntime().availableProcessors());

    private SigningThreads() {
    }

    private static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("gatehouse-sign-" + n.incrementAndGet()).unstarted(r));
        pool.allowCoreThreadTimeOut(true);  // none kept while nothing is signed (the CLI, an idle server)
        return pool;
    }

    /** @return {@code work}'s result, computed on a signing thread when the caller is a virtual thread */
    static <T> T run(Supplier<T> work) {
        if (!Thread.currentThread().isVirtual()) return work.get();
        try {
            return CompletableFuture.supplyAsync(work, POOL).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }
}
