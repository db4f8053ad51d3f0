package io.gatehouse.config;

import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.http.ClientAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The abuse keys: attempt limits and window, hash-queue-size, trusted-proxies, forwarded-header. */
class AbuseConfigTest {
    @TempDir
    Path dir;

    AbuseConfig load(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null), env).abuse();
    }

    @Test
    void loadWhenNotSetThenDocumentedDefaults() throws Exception {
        AbuseConfig c = load("{}", Map.of());
        assertEquals(new AttemptLimiter.Limits(Duration.ofMinutes(15), 10, 50, 200), c.attempts());
        assertEquals(16, c.hashQueueSize());
        assertEquals(List.of(), c.trustedProxies());
        assertFalse(c.clientAddresses().trustsAnyProxy(), "forwarding headers are ignored");
        assertEquals(ClientAddresses.Header.X_FORWARDED_FOR, c.forwardedHeader());
        assertEquals(c, ServerConfig.forTest(dir).abuse());
    }

    @Test
    void loadWhenSetInFileThenUsed() throws Exception {
        AbuseConfig c = load("""
                {"attempt-window-seconds": 60, "attempt-limit-per-account-source": 3, "attempt-limit-per-source": 7,
                 "attempt-limit-per-account": 30, "hash-queue-size": 4, "trusted-proxies": ["10.0.0.0/8", "::1"],
                 "forwarded-header": "forwarded"}""", Map.of());
        assertEquals(new AttemptLimiter.Limits(Duration.ofSeconds(60), 3, 7, 30), c.attempts());
        assertEquals(4, c.hashQueueSize());
        assertEquals(List.of("10.0.0.0/8", "::1"), c.trustedProxies());
        assertEquals(ClientAddresses.Header.FORWARDED, c.forwardedHeader());
    }

    @Test
    void loadWhenSetInEnvironmentThenItWinsAndProxiesAreCommaSeparated() throws Exception {
        AbuseConfig c = load("{\"trusted-proxies\": [\"10.0.0.0/8\"], \"attempt-limit-per-account\": 30}",
                Map.of("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1/32, 192.0.2.0/24", "GATEHOUSE_ATTEMPT_LIMIT_PER_ACCOUNT", "500",
                        "GATEHOUSE_HASH_QUEUE_SIZE", "0", "GATEHOUSE_FORWARDED_HEADER", "X-Forwarded-For"));
        assertEquals(List.of("127.0.0.1/32", "192.0.2.0/24"), c.trustedProxies());
        assertEquals(500, c.attempts().perAccount());
        assertEquals(0, c.hashQueueSize());
        assertEquals(ClientAddresses.Header.X_FORWARDED_FOR, c.forwardedHeader());
    }

    @Test
    void loadWhenInvalidThenClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> load("{\"trusted-proxies\": [\"lb.internal\"]}", Map.of()));
        assertEquals("trusted-proxies: 'lb.internal' is not an IP address or CIDR block", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"attempt-limit-per-source\": 0}", Map.of()));
        assertEquals("attempt limits must be at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"hash-queue-size\": \"many\"}", Map.of()));
        assertEquals("hash-queue-size must be a number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"forwarded-header\": \"x-real-ip\"}", Map.of()));
        assertEquals("forwarded-header must be x-forwarded-for or forwarded", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"trusted-proxies\": 5}", Map.of()));
        assertEquals("trusted-proxies must be a list of CIDR strings", e.getMessage());
    }
}
