package io.gatehouse.core;

import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class FailureThrottleTest {
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FailureThrottle throttle = new FailureThrottle(clock);

    @Test
    void delayGrowsAfterFreeFailuresAndIsCapped() {
        for (int i = 0; i < FailureThrottle.FREE_FAILURES - 1; i++) throttle.recordFailure("k");
        assertEquals(Duration.ZERO, throttle.delayFor("k"));
        throttle.recordFailure("k");
        assertEquals(Duration.ofMillis(100), throttle.delayFor("k"));
        for (int i = 0; i < 100; i++) throttle.recordFailure("k");
        assertEquals(FailureThrottle.MAX_DELAY, throttle.delayFor("k"));
        assertEquals(Duration.ZERO, throttle.delayFor("other"));
    }

    @Test
    void failuresExpireAfterWindowAndSuccessClears() {
        for (int i = 0; i < 10; i++) throttle.recordFailure("k");
        clock.advance(FailureThrottle.WINDOW.plusSeconds(1));
        assertEquals(Duration.ZERO, throttle.delayFor("k"));
        for (int i = 0; i < 10; i++) throttle.recordFailure("k");
        throttle.recordSuccess("k");
        assertEquals(Duration.ZERO, throttle.delayFor("k"));
    }
}
