package io.gatehouse;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.AuditLog.ClientAuthFailure;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class AuditLoggerTest {
    private static final Pattern AGGREGATE = Pattern.compile("^(client authentication failed|login failed): (\\d+) ");

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Interval 10 s, 5 subjects and addresses tracked per kind, 3 first failures written at once; no thread. */
    final AuditLogger audit = new AuditLogger(lines::add, clock, Duration.ofSeconds(10), 5, 3, false);

    /** Failures of a kind the lines account for: 1 per single line, N per aggregate line. */
    static long failures(List<String> lines, String prefix) {
        long n = 0;
        for (String l : lines) {
            if (!l.startsWith(prefix + ": ")) continue;
            Matcher m = AGGREGATE.matcher(l);
            n += m.find() ? Long.parseLong(m.group(2)) : 1;
        }
        return n;
    }

    @Test
    void eventsWhenLoggedThenOneLineEachWithoutSecrets() {
        audit.clientAuthenticationFailed("svc", ClientAuthFailure.WRONG_SECRET);
        audit.clientAuthenticationFailed("svc", "10.0.0.9", ClientAuthFailure.UNKNOWN_CLIENT);
        audit.loginSucceeded("alice", "u-1", "10.0.0.1");
        audit.loginFailed("bob", "10.0.0.2", true);
        audit.clientChanged("svc", "added (confidential, secret given)", "cli (user root, pid 7)");
        audit.userChanged("ada", "u_1", "password set", "cli (user root, pid 7)");
        audit.keyChanged("k1", SigningAlg.ES256, "retired", "cli (user root, pid 7)");
        assertEquals(List.of("client authentication failed: client_id=\"svc\" reason=wrong_secret",
                "client authentication failed: client_id=\"svc\" address=\"10.0.0.9\" reason=unknown_client",
                "login succeeded: username=\"alice\" user_id=\"u-1\" address=\"10.0.0.1\"",
                "login failed: username=\"bob\" address=\"10.0.0.2\" throttled=true",
                "client added (confidential, secret given): client_id=\"svc\" actor=\"cli (user root, pid 7)\"",
                "user password set: username=\"ada\" user_id=\"u_1\" actor=\"cli (user root, pid 7)\"",
                "signing key retired: kid=\"k1\" alg=ES256 actor=\"cli (user root, pid 7)\""), lines);
        clock.advance(Duration.ofSeconds(10));
        audit.tick();
        assertEquals(7, lines.size(), "nothing more to report: every failure had its own line");
    }

    @Test
    void eventsWhenValuesCarryControlCharactersThenSanitized() {
        audit.loginFailed("eve\r\n12:00:00 INFO login succeeded: username=\"root\"\u001b[2J\u2028", "1.2.3.4", false);
        audit.clientAuthenticationFailed("x".repeat(500), ClientAuthFailure.UNKNOWN_CLIENT);
        audit.clientChanged("a\"b", "updated\n(x)", "cli\r");
        assertEquals("login failed: username=\"eve??12:00:00 INFO login succeeded: username=?root??[2J?\" address=\"1.2.3.4\"",
                lines.get(0));
        assertEquals("client authentication failed: client_id=\"" + "x".repeat(100) + "...\" reason=unknown_client", lines.get(1));
        assertEquals("client updated?(x): client_id=\"a?b\" actor=\"cli?\"", lines.get(2));
        assertEquals("", AuditLogger.clean(null));
    }

    @Test
    void floodOfFailuresWhenThenOneSignInThenSuccessWrittenAtOnceAndFailuresAggregatedWithCountsThatAddUp() {
        for (int i = 0; i < 5000; i++) {
            audit.clientAuthenticationFailed("nobody", "203.0.113.66", i % 5 == 0 ? ClientAuthFailure.WRONG_SECRET
                    : ClientAuthFailure.UNKNOWN_CLIENT);
        }
        assertEquals(1, lines.size(), "one line at once for the first failure: " + lines);
        audit.loginSucceeded("alice", "u-1", "198.51.100.7");
        assertEquals("login succeeded: username=\"alice\" user_id=\"u-1\" address=\"198.51.100.7\"", lines.get(1),
                "the success is written at once, not behind the flood");
        clock.advance(Duration.ofSeconds(10));
        audit.tick();
        assertEquals(List.of("client authentication failed: client_id=\"nobody\" address=\"203.0.113.66\" reason=wrong_secret",
                "login succeeded: username=\"alice\" user_id=\"u-1\" address=\"198.51.100.7\"",
                "client authentication failed: 4999 more failures for client_id=\"nobody\" address=\"203.0.113.66\" in the last 10 s "
                        + "(reasons: unknown_client=4000, wrong_secret=999)"), lines);
        assertEquals(5000, failures(lines, "client authentication failed"));
    }

    @Test
    void floodWhenManyDistinctKeysThenMemoryBoundedAndOverflowSummedIntoOneLine() {
        for (int i = 0; i < 100_000; i++) {
            audit.clientAuthenticationFailed("client-" + i, "10.0." + (i % 250) + ".1", ClientAuthFailure.UNKNOWN_CLIENT);
            if (i % 10 == 0) audit.clientAuthenticationFailed("client-" + i, "10.0." + (i % 250) + ".1", ClientAuthFailure.WRONG_SECRET);
        }
        assertTrue(audit.trackedKeys() <= 5, "at most the cap of subjects and addresses: " + audit.trackedKeys());
        assertEquals(3, lines.size(), "3 failures written at once: " + lines);
        audit.loginFailed("carol", "192.0.2.1", false);
        assertEquals("login failed: username=\"carol\" address=\"192.0.2.1\"", lines.getLast(),
                "a flood of client failures does not use up the sign-in failures' budget");
        clock.advance(Duration.ofSeconds(10));
        audit.tick();
        String overflow = lines.getLast();
        assertEquals("client authentication failed: 109994 failures for more than " + AuditLogger.OVERFLOW_KEYS_COUNTED
                + " other client_id/address pairs in the last 10 s (beyond the 5 listed per interval; "
                + "reasons: unknown_client=99995, wrong_secret=9999)", overflow);
        assertEquals(110_000, failures(lines, "client authentication failed"), String.join("\n", lines));
        assertEquals(1, failures(lines, "login failed"));
        assertEquals(0, audit.trackedKeys(), "a new interval starts empty");
    }

    @Test
    void overflowWhenFewDistinctKeysThenCountedExactly() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) audit.loginFailed("user" + i, "192.0.2.1", round == 2);
        }
        clock.advance(Duration.ofSeconds(12));
        audit.tick();
        assertTrue(lines.contains("login failed: 45 failures for 15 other username/address pairs in the last 12 s "
                + "(beyond the 5 listed per interval; reasons: bad_credentials=30, throttled=15)"), String.join("\n", lines));
        assertTrue(lines.contains("login failed: 3 failures for username=\"user3\" address=\"192.0.2.1\" in the last 12 s "
                + "(reasons: bad_credentials=2, throttled=1)"), "the 4th key was tracked but not written at once: " + lines);
        assertTrue(lines.contains("login failed: 2 more failures for username=\"user0\" address=\"192.0.2.1\" in the last 12 s "
                + "(reasons: bad_credentials=1, throttled=1)"), String.join("\n", lines));
        assertEquals(60, failures(lines, "login failed"));
    }

    @Test
    void failureWhenIntervalOverThenPreviousIntervalWrittenFirstAndNewIntervalStarts() {
        audit.loginFailed("bob", "192.0.2.1", false);
        audit.loginFailed("bob", "192.0.2.1", false);
        clock.advance(Duration.ofSeconds(11));
        audit.loginFailed("bob", "192.0.2.1", true);
        assertEquals(List.of("login failed: username=\"bob\" address=\"192.0.2.1\"",
                "login failed: 1 more failure for username=\"bob\" address=\"192.0.2.1\" in the last 11 s (reasons: bad_credentials=1)",
                "login failed: username=\"bob\" address=\"192.0.2.1\" throttled=true"), lines);
    }

    @Test
    void closeWhenFailuresCountedThenWrittenAndLaterFailuresWrittenAtOnce() {
        for (int i = 0; i < 10; i++) audit.clientAuthenticationFailed("svc", "192.0.2.3", ClientAuthFailure.WRONG_SECRET);
        clock.advance(Duration.ofSeconds(3));
        audit.close();
        assertEquals("client authentication failed: 9 more failures for client_id=\"svc\" address=\"192.0.2.3\" in the last 3 s "
                + "(reasons: wrong_secret=9)", lines.getLast());
        audit.clientAuthenticationFailed("svc", "192.0.2.3", ClientAuthFailure.WRONG_SECRET);
        assertEquals("client authentication failed: client_id=\"svc\" address=\"192.0.2.3\" reason=wrong_secret", lines.getLast());
        assertEquals(11, failures(lines, "client authentication failed"));
    }

    @Test
    void backgroundThreadWhenIntervalEndsThenWritesTheAggregateWithoutFurtherEvents() throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        try (AuditLogger real = new AuditLogger(out::add, Clock.systemUTC(), Duration.ofMillis(300), 100, 20, true)) {
            for (int i = 0; i < 50; i++) real.loginFailed("mallory", "192.0.2.9", false);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (out.size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(2, out.size(), String.valueOf(out));
            assertTrue(out.get(1).startsWith("login failed: 49 more failures for username=\"mallory\" address=\"192.0.2.9\""), out.get(1));
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("gatehouse-audit") && t.isDaemon()));
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("gatehouse-audit") && t.isAlive()),
                "close stops the thread");
    }

    @Test
    void concurrentFloodWhenSignInsInterleavedThenEverySuccessWrittenAndFailuresAddUp() throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        AuditLogger a = new AuditLogger(out::add, Clock.systemUTC(), Duration.ofMillis(50), 20, 5, true);
        int threads = 4, perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    a.clientAuthenticationFailed("c" + (i % 50), "10.0.0." + id, ClientAuthFailure.UNKNOWN_CLIENT);
                }
            }));
        }
        Thread signIns = Thread.ofPlatform().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 100; i++) a.loginSucceeded("user" + i, "u" + i, "198.51.100.1");
        });
        go.countDown();
        for (Thread t : ts) t.join();
        signIns.join();
        a.close();
        for (int i = 0; i < 100; i++) {
            assertTrue(out.contains("login succeeded: username=\"user" + i + "\" user_id=\"u" + i + "\" address=\"198.51.100.1\""));
        }
        assertEquals((long) threads * perThread, failures(out, "client authentication failed"));
    }
}
