package io.gatehouse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The operations keys: purge-interval-seconds and metrics (defaults, file, environment). */
class OpsConfigTest {
    @TempDir
    Path dir;

    ServerConfig load(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null), env);
    }

    @Test
    void loadWhenNotSetThenPurgeEveryFiveMinutesAndMetricsOn() throws Exception {
        ServerConfig c = load("{}", Map.of());
        assertEquals(Duration.ofSeconds(300), c.purgeInterval());
        assertTrue(c.metrics());
    }

    @Test
    void loadWhenSetInFileThenUsed() throws Exception {
        ServerConfig c = load("{\"purge-interval-seconds\": 0, \"metrics\": false}", Map.of());
        assertEquals(Duration.ZERO, c.purgeInterval());
        assertFalse(c.metrics());
    }

    @Test
    void loadWhenSetInEnvironmentThenItWinsOverTheFile() throws Exception {
        ServerConfig c = load("{\"purge-interval-seconds\": 60, \"metrics\": true}",
                Map.of("GATEHOUSE_PURGE_INTERVAL_SECONDS", "30", "GATEHOUSE_METRICS", "false"));
        assertEquals(Duration.ofSeconds(30), c.purgeInterval());
        assertFalse(c.metrics());
    }

    @Test
    void loadWhenInvalidThenClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> load("{\"purge-interval-seconds\": -1}", Map.of()));
        assertEquals("purge-interval-seconds must be 0 (off) or more", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"metrics\": \"yes\"}", Map.of()));
        assertEquals("metrics must be true or false", e.getMessage());
    }
}
