package io.gatehouse.store.jdbc;

import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.port.AttemptCounters.Window;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** {@link JdbcAttemptCounters}: one upsert per failure, windows, purge, concurrent upserts (V5 auth_failures). */
abstract class AttemptCountersContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final String A = "0123456789abcdef0123456789abcdef";
    static final String B = "fedcba9876543210fedcba9876543210";
    static final String C = "00000000000000000000000000000000";

    JdbcAttemptCounters counters;

    @BeforeEach
    void setUp() {
        testDb.clear("auth_failures");
        counters = new JdbcAttemptCounters(testDb.db);
    }

    static Map<String, Integer> failures(List<Window> ws) {
        return ws.stream().collect(Collectors.toMap(Window::key, Window::failures));
    }

    @Test
    void recordFailureWhenNewKeysThenWindowStartsWithOne() {
        List<Window> ws = counters.recordFailure(List.of(B, A), T0, WINDOW);
        assertEquals(Map.of(A, 1, B, 1), failures(ws));
        for (Window w : ws) {
            assertEquals(T0, w.start());
            assertEquals(T0.plus(WINDOW), w.end());
        }
        assertEquals(Map.of(A, 1, B, 1), failures(counters.find(List.of(A, B, C), T0.plusSeconds(1))));
    }

    @Test
    void recordFailureWhenWindowOpenThenCountsUpAndKeepsTheWindow() {
        counters.recordFailure(List.of(A, B), T0, WINDOW);
        counters.recordFailure(List.of(A), T0.plusSeconds(10), WINDOW);
        List<Window> ws = counters.recordFailure(List.of(A, B, C), T0.plusSeconds(20), WINDOW);
        assertEquals(Map.of(A, 3, B, 2, C, 1), failures(ws));
        Window a = ws.stream().filter(w -> w.key().equals(A)).findFirst().orElseThrow();
        assertEquals(T0, a.start(), "the window starts at the key's first failure");
        assertEquals(T0.plus(WINDOW), a.end());
    }

    @Test
    void recordFailureWhenWindowEndedThenStartsAgain() {
        counters.recordFailure(List.of(A), T0, WINDOW);
        counters.recordFailure(List.of(A), T0, WINDOW);
        Instant later = T0.plus(WINDOW);
        assertEquals(List.of(), counters.find(List.of(A), later), "an ended window is not found");
        List<Window> ws = counters.recordFailure(List.of(A), later, WINDOW);
        assertEquals(1, ws.getFirst().failures());
        assertEquals(later, ws.getFirst().start());
    }

    @Test
    void purgeWhenWindowsEndedBeforeCutoffThenDeletedOnlyThose() {
        counters.recordFailure(List.of(A), T0, WINDOW);
        counters.recordFailure(List.of(B), T0.plus(Duration.ofHours(2)), WINDOW);
        var h = new Housekeeping(new JdbcTokenStore(testDb.db), new JdbcCodeStore(testDb.db),
                new JdbcSessionStore(testDb.db), counters, new Fakes.MutableClock(T0.plus(WINDOW).plus(Housekeeping.GRACE).plusSeconds(1)));
        assertEquals(1, h.purge().attemptWindows());
        assertEquals(Set.of(B), counters.find(List.of(A, B), T0.plus(Duration.ofHours(2))).stream()
                .map(Window::key).collect(Collectors.toSet()));
    }

    @Test
    void recordFailureWhenManyNodesAtOnceThenNoFailureIsLost() throws Exception {
        int n = 16;
        race(n, i -> counters.recordFailure(i % 2 == 0 ? List.of(A, B, C) : List.of(C, B, A), T0, WINDOW));
        assertEquals(Map.of(A, n, B, n, C, n), failures(counters.find(List.of(A, B, C), T0)));
    }

    @Test
    void limiterWhenTwoNodesShareTheDatabaseThenOneBudget() {
        var limits = new AttemptLimiter.Limits(WINDOW, 4, 100, 100);
        var clock = new Fakes.MutableClock(T0);
        var node1 = new AttemptLimiter(counters, limits, clock);
        var node2 = new AttemptLimiter(new JdbcAttemptCounters(testDb.db), limits, clock);
        node1.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1").failed();
        node2.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1").failed();
        node1.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1").failed();
        node2.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1").failed();
        assertThrows(io.gatehouse.core.error.OAuthException.class,
                () -> node1.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1"));
        assertThrows(io.gatehouse.core.error.OAuthException.class,
                () -> node2.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1"));
        var restarted = new AttemptLimiter(new JdbcAttemptCounters(testDb.db), limits, clock);
        assertThrows(io.gatehouse.core.error.OAuthException.class,
                () -> restarted.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.1"), "a restart does not reset the budget");
        restarted.begin(AttemptLimiter.Kind.USER, "bob", "192.0.2.2").succeeded();  // another address: own budget
    }
}
