package io.gatehouse.core.token;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningThreadsTest {
    @Test
    void aVirtualThreadsWorkRunsOnAPlatformSigningThread() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<String> result = new AtomicReference<>();
        Thread.ofVirtual().start(() -> result.set(SigningThreads.run(() -> {
            ranOn.set(Thread.currentThread());
            return "signed";
        }))).join();
        assertEquals("signed", result.get());
        assertFalse(ranOn.get().isVirtual());
        assertTrue(ranOn.get().getName().startsWith("gatehouse-sign-"), ranOn.get().getName());
    }

    @Test
    void aPlatformThreadSignsInline() {
        Thread caller = Thread.currentThread();
        assertSame(caller, SigningThreads.run(Thread::currentThread));
    }

    @Test
    void failuresReachTheCallerUnwrapped() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread.ofVirtual().start(() -> thrown.set(assertThrows(IllegalStateException.class,
                () -> SigningThreads.run(() -> {
                    throw new IllegalStateException("signing failed with key k1");
                })))).join();
        assertEquals("signing failed with key k1", thrown.get().getMessage());
    }
}
