package io.gatehouse;

import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.core.port.TokenStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class PurgeSchedulerTest {
    private static <T> T failingThenCounting(Class<T> port, AtomicInteger calls, CountDownLatch done) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (p, m, args) -> {
            int n = calls.incrementAndGet();
            done.countDown();
            if (n == 1) throw new IllegalStateException("database down");
            if (n == 2) throw new OutOfMemoryError("simulated");
            return 0;
        }));
    }

    private static <T> T zero(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (p, m, args) -> 0));
    }

    @Test
    void scheduledPurgeWhenItFailsThenKeepsRunning() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(4);
        var h = new Housekeeping(failingThenCounting(TokenStore.class, calls, done), zero(CodeStore.class),
                zero(SessionStore.class), Clock.systemUTC());
        try (PurgeScheduler s = PurgeScheduler.start(h, Duration.ofMillis(20))) {
            assertTrue(done.await(10, TimeUnit.SECONDS), "runs again after an exception and after an error");
        }
    }

    @Test
    void startWhenIntervalZeroThenDisabled() {
        var h = new Housekeeping(zero(TokenStore.class), zero(CodeStore.class), zero(SessionStore.class), Clock.systemUTC());
        assertNull(PurgeScheduler.start(h, Duration.ZERO));
    }
}
