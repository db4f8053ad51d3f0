package io.gatehouse;

import io.gatehouse.core.port.AuditLog.ClientAuthFailure;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AuditLoggerTest {
    final List<String> lines = new ArrayList<>();
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AuditLogger audit = new AuditLogger(lines::add, clock, 3);

    @Test
    void eventsWhenLoggedThenOneLineEachWithoutSecrets() {
        audit.clientAuthenticationFailed("svc", ClientAuthFailure.WRONG_SECRET);
        audit.loginSucceeded("alice", "u-1", "10.0.0.1");
        audit.loginFailed("bob", "10.0.0.2", true);
        assertEquals(List.of("client authentication failed: client_id=\"svc\" reason=wrong_secret",
                "login succeeded: username=\"alice\" user_id=\"u-1\" address=\"10.0.0.1\"",
                "login failed: username=\"bob\" address=\"10.0.0.2\" throttled=true"), lines);
    }

    @Test
    void eventsWhenValuesCarryControlCharactersThenSanitized() {
        audit.loginFailed("eve\r\n12:00:00 INFO login succeeded: username=\"root\"\u001b[2J\u2028", "1.2.3.4", false);
        audit.clientAuthenticationFailed("x".repeat(500), ClientAuthFailure.UNKNOWN_CLIENT);
        assertEquals("login failed: username=\"eve??12:00:00 INFO login succeeded: username=?root??[2J?\" address=\"1.2.3.4\"",
                lines.get(0));
        assertEquals("client authentication failed: client_id=\"" + "x".repeat(100) + "...\" reason=unknown_client", lines.get(1));
        assertEquals("", AuditLogger.clean(null));
    }

    @Test
    void eventsWhenFloodThenAtMostNPerSecondAndOneSummaryLine() {
        for (int i = 0; i < 1000; i++) audit.loginFailed("u" + i, "1.2.3.4", false);
        assertEquals(3, lines.size());
        clock.advance(Duration.ofMillis(1000));
        audit.loginFailed("next", "1.2.3.4", false);
        assertEquals(5, lines.size());
        assertEquals("997 audit events suppressed (more than 3 per second)", lines.get(3));
        assertTrue(lines.get(4).contains("username=\"next\""));
        clock.advance(Duration.ofSeconds(5));
        audit.loginFailed("later", "1.2.3.4", false);
        assertEquals(6, lines.size(), "no summary when nothing was suppressed");
    }
}
