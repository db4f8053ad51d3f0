package io.gatehouse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP keys (timeouts, limits, management listener): defaults, file, environment, refusals. */
class HttpConfigTest {
    @TempDir
    Path dir;

    ServerConfig load(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null), env);
    }

    @Test
    void loadWhenNotSetThenSafeDefaults() throws Exception {
        HttpConfig h = load("{}", Map.of()).http();
        assertEquals(Duration.ofSeconds(10), h.headerTimeout());
        assertEquals(Duration.ofSeconds(30), h.bodyTimeout());
        assertEquals(Duration.ofSeconds(60), h.idleTimeout());
        assertEquals(512, h.maxConnections());
        assertEquals(200, h.maxConcurrentRequests());
        assertEquals(2 * 1024 * 1024, h.maxBufferedRequestBytes());
        assertTrue(h.managementEnabled());
        assertEquals("127.0.0.1", h.managementHost());
        assertEquals(9001, h.managementPort());
    }

    @Test
    void loadWhenSetInFileAndEnvironmentThenEnvironmentWins() throws Exception {
        HttpConfig h = load("{\"header-timeout-seconds\": 5, \"body-timeout-seconds\": 20, \"idle-timeout-seconds\": 90, "
                + "\"max-connections\": 300, \"max-concurrent-requests\": 50, \"max-buffered-request-bytes\": 1048576, "
                + "\"management-host\": \"0.0.0.0\", \"management-port\": 9101, \"management-enabled\": true}",
                Map.of("GATEHOUSE_MANAGEMENT_PORT", "0", "GATEHOUSE_MAX_CONNECTIONS", "400",
                        "GATEHOUSE_MANAGEMENT_ENABLED", "false")).http();
        assertEquals(Duration.ofSeconds(5), h.headerTimeout());
        assertEquals(Duration.ofSeconds(20), h.bodyTimeout());
        assertEquals(Duration.ofSeconds(90), h.idleTimeout());
        assertEquals(400, h.maxConnections());
        assertEquals(50, h.maxConcurrentRequests());
        assertEquals(1048576, h.maxBufferedRequestBytes());
        assertFalse(h.managementEnabled());
        assertEquals("0.0.0.0", h.managementHost());
        assertEquals(0, h.managementPort());
    }

    @Test
    void loadWhenInvalidThenClearError() {
        Map<String, String> cases = Map.of(
                "{\"header-timeout-seconds\": 0}", "header-timeout-seconds must be at least 1",
                "{\"max-connections\": 0}", "max-connections must be at least 1",
                "{\"max-concurrent-requests\": -1}", "max-concurrent-requests must be at least 1",
                "{\"max-buffered-request-bytes\": 10000}", "max-buffered-request-bytes must be at least max-body-bytes (65536)",
                "{\"management-port\": 70000}", "management-port must be 0 to 65535",
                "{\"port\": 9100, \"management-port\": 9100}", "management-port must differ from port (9100)",
                "{\"management-enabled\": \"no\"}", "management-enabled must be true or false",
                "{\"idle-timeout-seconds\": \"x\"}", "idle-timeout-seconds must be a number");
        cases.forEach((json, message) -> {
            var e = assertThrows(IllegalArgumentException.class, () -> load(json, Map.of()), json);
            assertEquals(message, e.getMessage(), json);
        });
    }

    @Test
    void loadWhenManagementOffThenTheSamePortIsNoConflict() throws Exception {
        assertFalse(load("{\"port\": 9100, \"management-port\": 9100, \"management-enabled\": false}", Map.of())
                .http().managementEnabled());
    }

    @Test
    void loadWhenTlsFilesInFileOrEnvironmentThenBothTakenAndEnvironmentWins() throws Exception {
        assertEquals(java.util.Optional.empty(), load("{}", Map.of()).http().tls());
        TlsFiles f = load("{\"tls-cert\": \"/etc/gh/cert.pem\", \"tls-key\": \"/etc/gh/key.pem\"}", Map.of()).http().tls().orElseThrow();
        assertEquals(new TlsFiles(Path.of("/etc/gh/cert.pem"), Path.of("/etc/gh/key.pem")), f);
        f = load("{\"tls-cert\": \"/etc/gh/cert.pem\", \"tls-key\": \"/etc/gh/key.pem\"}",
                Map.of("GATEHOUSE_TLS_CERT", "/run/c.pem", "GATEHOUSE_TLS_KEY", "/run/k.pem")).http().tls().orElseThrow();
        assertEquals(new TlsFiles(Path.of("/run/c.pem"), Path.of("/run/k.pem")), f);
    }

    @Test
    void loadWhenOnlyOneTlsFileThenRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> load("{\"tls-cert\": \"/etc/gh/cert.pem\"}", Map.of()));
        assertTrue(e.getMessage().startsWith("tls-cert and tls-key go together"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{}", Map.of("GATEHOUSE_TLS_KEY", "/k.pem")));
        assertTrue(e.getMessage().startsWith("tls-cert and tls-key go together"), e.getMessage());
    }
}
