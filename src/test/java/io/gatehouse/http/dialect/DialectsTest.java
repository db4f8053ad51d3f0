package io.gatehouse.http.dialect;

import io.gatehouse.config.Mount;
import io.gatehouse.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DialectsTest {
    static String failure(String dialect, Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> Dialects.create(new Mount("/t", dialect, options))).getMessage();
    }

    @Test
    void createWhenDefaultMountsThenEveryDialectBuilds() {
        for (Mount m : ServerConfig.defaultMounts()) assertNotNull(Dialects.create(m));
        assertEquals(java.util.List.of("/oauth2/token", "/api/v1/oauth2/token", "/oauth/token/get", "/v1/api/oauth/token"),
                ServerConfig.defaultMounts().stream().map(Mount::path).toList());
    }

    @Test
    void createWhenKnownOptionsThenAccepted() {
        assertInstanceOf(AppKeyDialect.class, Dialects.create(new Mount("/t", "app-key", Map.of("naming", "snake_case", "http-status", "always-200"))));
        assertInstanceOf(AppKeyDialect.class, Dialects.create(new Mount("/t", "app-key", Map.of("naming", "camelCase", "http-status", "mirror"))));
        assertInstanceOf(JsonClientCredentialsDialect.class, Dialects.create(new Mount("/t", "json-client-credentials", Map.of("source", "XYZ"))));
    }

    @Test
    void createWhenBadOptionThenClearStartupError() {
        assertEquals("mount /t (dialect 'app-key'): option 'naming' must be one of camelCase, snake_case",
                failure("app-key", Map.of("naming", "kebab")));
        assertEquals("mount /t (dialect 'app-key'): option 'http-status' must be one of always-200, mirror",
                failure("app-key", Map.of("http-status", "sometimes")));
        assertEquals("mount /t (dialect 'app-key'): unknown option 'nameing' (known: http-status, naming)",
                failure("app-key", Map.of("nameing", "snake_case")));
        assertEquals("mount /t (dialect 'json-client-credentials'): option 'source' must be 1 to 50 printable characters",
                failure("json-client-credentials", Map.of("source", "")));
        assertEquals("mount /t (dialect 'standard'): unknown option 'x' (this dialect takes no options)",
                failure("standard", Map.of("x", "y")));
        assertEquals("mount /t: unknown dialect 'nope' (known: standard, app-key, json-client-credentials)",
                failure("nope", Map.of()));
    }
}
