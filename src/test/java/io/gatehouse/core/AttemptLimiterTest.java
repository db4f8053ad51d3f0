package io.gatehouse.core;

import io.gatehouse.core.AttemptLimiter.Attempt;
import io.gatehouse.core.AttemptLimiter.Kind;
import io.gatehouse.core.AttemptLimiter.Limits;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.port.AttemptCounters;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class AttemptLimiterTest {
    static final Duration WINDOW = Duration.ofMinutes(15);
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AttemptCounters counters = AttemptCounters.inMemory(1_000_000);
    final AttemptLimiter limiter = new AttemptLimiter(counters, new Limits(WINDOW, 3, 10, 6), clock);

    void fail(String account, String source) {
        limiter.begin(Kind.USER, account, source).failed();
    }

    OAuthError.TooManyAttempts refused(String account, String source) {
        OAuthException e = assertThrows(OAuthException.class, () -> limiter.begin(Kind.USER, account, source));
        return assertInstanceOf(OAuthError.TooManyAttempts.class, e.error());
    }

    @Test
    void beginWhenPairLimitReachedThenRefusedUntilTheWindowEndsWithRetryAfter() {
        for (int i = 0; i < 3; i++) fail("bob", "192.0.2.1");
        clock.advance(Duration.ofMinutes(5));
        OAuthError.TooManyAttempts t = refused("bob", "192.0.2.1");
        assertEquals(600, t.retryAfterSeconds(), "until the window that began at the first failure ends");
        assertEquals("slow_down", t.code());
        clock.advance(Duration.ofMinutes(10));
        limiter.begin(Kind.USER, "bob", "192.0.2.1").succeeded();
    }

    @Test
    void beginWhenAnotherAddressFailedThenThisAddressIsNotSlowedUntilTheAccountLimit() {
        for (int i = 0; i < 3; i++) fail("bob", "192.0.2.1");
        refused("bob", "192.0.2.1");
        limiter.begin(Kind.USER, "bob", "198.51.100.7").succeeded();  // the real user elsewhere
        for (int i = 0; i < 3; i++) fail("bob", "192.0.2." + (10 + i));  // account total: 6 = its limit
        refused("bob", "198.51.100.7");
        limiter.begin(Kind.USER, "alice", "198.51.100.7").succeeded();
    }

    @Test
    void beginWhenSourceLimitReachedThenEveryAccountRefusedFromThere() {
        for (int i = 0; i < 10; i++) fail("user" + i, "203.0.113.5");
        refused("somebody-else", "203.0.113.5");
        OAuthException e = assertThrows(OAuthException.class, () -> limiter.begin(Kind.CLIENT, "client-x", "203.0.113.5"));
        assertInstanceOf(OAuthError.TooManyAttempts.class, e.error(), "clients and users share the source's budget");
        limiter.begin(Kind.USER, "somebody-else", "203.0.113.6").succeeded();
    }

    @Test
    void beginWhenAttemptsInFlightThenParallelGetsNoMoreThanSerial() {
        List<Attempt> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) inFlight.add(limiter.begin(Kind.USER, "bob", "192.0.2.1"));
        OAuthError.TooManyAttempts t = refused("bob", "192.0.2.1");
        assertEquals(1, t.retryAfterSeconds());
        inFlight.forEach(Attempt::failed);
        refused("bob", "192.0.2.1");
        assertEquals(0, limiter.inFlightKeys());
    }

    @Test
    void beginWhenOnlySucceededThenNothingIsCountedOrWritten() {
        AtomicInteger writes = new AtomicInteger();
        AttemptLimiter l = new AttemptLimiter(new CountingCounters(counters, writes), new Limits(WINDOW, 3, 10, 6), clock);
        for (int i = 0; i < 20; i++) l.begin(Kind.CLIENT, "svc", "192.0.2.1").succeeded();
        assertEquals(0, writes.get());
        l.begin(Kind.CLIENT, "svc", "192.0.2.1").failed();
        assertEquals(1, writes.get(), "one upsert per failure");
    }

    @Test
    void priorityWhenSameSourceAlreadyInFlightThenLowLane() {
        Attempt first = limiter.begin(Kind.CLIENT, "a", "192.0.2.1");
        Attempt second = limiter.begin(Kind.CLIENT, "b", "192.0.2.1");
        Attempt elsewhere = limiter.begin(Kind.CLIENT, "c", "192.0.2.2");
        assertEquals(SecretHasher.Priority.HIGH, first.priority());
        assertEquals(SecretHasher.Priority.LOW, second.priority());
        assertEquals(SecretHasher.Priority.HIGH, elsewhere.priority());
        first.succeeded();
        second.abandoned();
        elsewhere.succeeded();
    }

    @Test
    void beginWhenOtherNodeCountedThenSeenAndRestartDoesNotReset() {
        AttemptLimiter otherNode = new AttemptLimiter(counters, new Limits(WINDOW, 3, 10, 6), clock);
        fail("bob", "192.0.2.1");
        otherNode.begin(Kind.USER, "bob", "192.0.2.1").failed();
        fail("bob", "192.0.2.1");
        refused("bob", "192.0.2.1");
        assertThrows(OAuthException.class, () -> otherNode.begin(Kind.USER, "bob", "192.0.2.1"));
        AttemptLimiter restarted = new AttemptLimiter(counters, new Limits(WINDOW, 3, 10, 6), clock);
        assertThrows(OAuthException.class, () -> restarted.begin(Kind.USER, "bob", "192.0.2.1"));
    }

    @Test
    void memoryWhenHugeAndManyDistinctKeysThenBoundedAndKeysHashed() {
        AttemptLimiter l = new AttemptLimiter(AttemptCounters.inMemory(1_000), new Limits(WINDOW, 3, 1_000_000, 6), clock);
        String big = "u".repeat(64 * 1024);
        for (int i = 0; i < AttemptLimiter.MAX_TRACKED / 2 + 500; i++) {
            l.begin(Kind.USER, big + i, "192.0.2." + (i % 200)).failed();
        }
        assertTrue(l.tracked() <= AttemptLimiter.MAX_TRACKED, "tracked " + l.tracked());
        assertEquals(0, l.inFlightKeys());
        for (String k : AttemptLimiter.keys(Kind.USER, big, "192.0.2.1")) assertEquals(32, k.length());
    }

    @Test
    void sourceKeyWhenIpv6ThenPer64AndIpv4MappedAsIpv4() {
        assertEquals(AttemptLimiter.sourceKey("2001:db8:1:2::1"), AttemptLimiter.sourceKey("2001:db8:1:2:ffff::9"));
        assertNotEquals(AttemptLimiter.sourceKey("2001:db8:1:2::1"), AttemptLimiter.sourceKey("2001:db8:1:3::1"));
        assertEquals("192.0.2.1", AttemptLimiter.sourceKey("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", AttemptLimiter.sourceKey("192.0.2.1"));
        assertEquals(AttemptLimiter.sourceKey("fe80::1%eth0"), AttemptLimiter.sourceKey("fe80::2"));
    }

    @Test
    void failedWhenDatabaseDownThenCountedLocallyAndTheErrorPassedOn() {
        AttemptCounters down = new CountingCounters(counters, new AtomicInteger()) {
            @Override
            public List<Window> recordFailure(List<String> keys, Instant now, Duration window) {
                throw new io.gatehouse.core.port.StoreUnavailableException("down", 2, null);
            }
        };
        AttemptLimiter l = new AttemptLimiter(down, new Limits(WINDOW, 2, 10, 6), clock);
        for (int i = 0; i < 2; i++) {
            Attempt a = l.begin(Kind.USER, "bob", "192.0.2.1");
            assertThrows(io.gatehouse.core.port.StoreUnavailableException.class, a::failed);
        }
        assertThrows(OAuthException.class, () -> l.begin(Kind.USER, "bob", "192.0.2.1"));
        assertEquals(0, l.inFlightKeys());
    }

    /** Counts writes, delegates everything. */
    static class CountingCounters implements AttemptCounters {
        final AttemptCounters inner;
        final AtomicInteger writes;

        CountingCounters(AttemptCounters inner, AtomicInteger writes) {
            this.inner = inner;
            this.writes = writes;
        }

        public List<Window> find(java.util.Collection<String> keys, Instant now) {
            return inner.find(keys, now);
        }

        public List<Window> recordFailure(List<String> keys, Instant now, Duration window) {
            writes.incrementAndGet();
            return inner.recordFailure(keys, now, window);
        }

        public int purgeExpired(Instant cutoff) {
            return inner.purgeExpired(cutoff);
        }
    }
}
