package io.gatehouse.core;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down repeated failures for one key (a client id, a username, an address): after
 * {@link #FREE_FAILURES} failures within {@link #WINDOW}, each further attempt waits a little longer
 * (capped at {@link #MAX_DELAY}). It never refuses, so an attacker cannot lock a real user out; it only
 * makes guessing slow. Virtual threads make the wait cheap. Memory is bounded.
 */
public final class FailureThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, long firstMillis) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public FailureThrottle(Clock clock) {
        this.clock = clock;
    }

    public void recordFailure(String key) {
        long now = clock.millis();
        if (failures.size() >= MAX_KEYS) failures.clear();
        failures.merge(key, new Failures(1, now), (old, one) ->
                now - old.firstMillis > WINDOW.toMillis() ? one : new Failures(old.count + 1, old.firstMillis));
    }

    public void recordSuccess(String key) {
        failures.remove(key);
    }

    /** How long the next attempt for this key should wait. */
    public Duration delayFor(String key) {
        Failures f = failures.get(key);
        if (f == null || clock.millis() - f.firstMillis > WINDOW.toMillis() || f.count < FREE_FAILURES) {
            return Duration.ZERO;
        }
        long ms = Math.min(MAX_DELAY.toMillis(), 100L * (f.count - FREE_FAILURES + 1));
        return Duration.ofMillis(ms);
    }

    public void delayIfNeeded(String key) {
        Duration d = delayFor(key);
        if (d.isZero()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
