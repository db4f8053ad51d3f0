package io.gatehouse.config;

import io.gatehouse.http.dialect.Dialects;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The `mounts` config key: paths, dialects and options, validated at start. */
class MountConfigTest {
    @TempDir
    Path dir;

    ServerConfig load(String json) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null), Map.of());
    }

    @Test
    void loadWhenNoMountsKeyThenDefaultMounts() throws Exception {
        assertEquals(ServerConfig.defaultMounts(), load("{}").mounts());
    }

    @Test
    void loadWhenMountsWithOptionsThenThoseExactly() throws Exception {
        ServerConfig c = load("""
                {"mounts": [
                  {"path": "/oauth2/token", "dialect": "standard"},
                  {"path": "/oauth/token/get", "dialect": "app-key", "options": {"naming": "snake_case", "http-status": "always-200"}},
                  {"path": "/v1/api/oauth/token", "dialect": "json-client-credentials", "options": {"source": "AGT"}}
                ], "resource-api": false}""");
        assertEquals(List.of(new Mount("/oauth2/token", "standard", Map.of()),
                new Mount("/oauth/token/get", "app-key", Map.of("naming", "snake_case", "http-status", "always-200")),
                new Mount("/v1/api/oauth/token", "json-client-credentials", Map.of("source", "AGT"))), c.mounts());
        assertFalse(c.resourceApi());
        c.mounts().forEach(Dialects::create);
    }

    @Test
    void startWhenBadMountOptionThenRefusedWithClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestServer.start(c ->
                c.withMounts(List.of(new Mount("/t", "app-key", Map.of("naming", "SHOUTING"))))));
        assertEquals("mount /t (dialect 'app-key'): option 'naming' must be one of camelCase, snake_case", e.getMessage());
    }
}
