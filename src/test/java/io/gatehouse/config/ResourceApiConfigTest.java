package io.gatehouse.config;

import io.gatehouse.core.model.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** resource-api-audience and resource-api-scope; demo mode's loopback-only rule. */
class ResourceApiConfigTest {
    @TempDir
    Path dir;

    ServerConfig load(String json, Map<String, String> env) throws Exception {
        return load(json, env, null, null);
    }

    ServerConfig load(String json, Map<String, String> env, String host, Boolean demo) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(host, null, dir, null, null, f, demo), env);
    }

    @Test
    void loadWhenNotSetThenTheIssuerAndAnyScope() throws Exception {
        ResourceApiConfig r = load("{}", Map.of()).resourceApiAccess();
        assertEquals(Optional.empty(), r.audience());
        assertEquals(Scope.EMPTY, r.requiredScope());
        assertEquals(ResourceApiConfig.defaults(), ServerConfig.forTest(dir).resourceApiAccess());
    }

    @Test
    void loadWhenSetInFileThenUsedAndTheEnvironmentWins() throws Exception {
        ResourceApiConfig r = load("{\"resource-api-audience\": \"https://shop-api.example\", \"resource-api-scope\": \"bailunApi\"}",
                Map.of()).resourceApiAccess();
        assertEquals(Optional.of("https://shop-api.example"), r.audience());
        assertEquals(Scope.of("bailunApi"), r.requiredScope());
        r = load("{\"resource-api-audience\": \"https://shop-api.example\", \"resource-api-scope\": \"bailunApi\"}",
                Map.of("GATEHOUSE_RESOURCE_API_AUDIENCE", "urn:products", "GATEHOUSE_RESOURCE_API_SCOPE", "read write"))
                .resourceApiAccess();
        assertEquals(Optional.of("urn:products"), r.audience());
        assertEquals(Scope.of("read", "write"), r.requiredScope());
    }

    @Test
    void loadWhenInvalidThenClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> load("{\"resource-api-audience\": \"\"}", Map.of()));
        assertTrue(e.getMessage().startsWith("resource-api-audience must be 1 to 2000 characters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"resource-api-audience\": \"a b\"}", Map.of()));
        assertTrue(e.getMessage().startsWith("resource-api-audience must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"resource-api-scope\": \"a  b\"}", Map.of()));
        assertTrue(e.getMessage().startsWith("resource-api-scope must be space-separated scope values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> load("{\"resource-api-scope\": \"caf\\u00e9\"}", Map.of()));
        assertTrue(e.getMessage().startsWith("resource-api-scope must be"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void demoWhenLoopbackHostThenAllowed(String host) throws Exception {
        assertTrue(load("{}", Map.of(), host, true).demo());
        assertTrue(ServerConfig.isLoopback(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "localhost.example.com",
            "127.0.0.256", "128.0.0.1", "::2", "[::]"})
    void demoWhenOtherHostThenRefused(String host) {
        var e = assertThrows(IllegalArgumentException.class, () -> load("{}", Map.of(), host, true));
        assertTrue(e.getMessage().startsWith("demo mode registers clients and a user with well-known secrets, so it "
                + "listens on loopback only"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + host + "'"), e.getMessage());
        // The same from the environment and the config file.
        assertThrows(IllegalArgumentException.class, () -> load("{}", Map.of("GATEHOUSE_DEMO", "true", "GATEHOUSE_HOST", host)));
        assertThrows(IllegalArgumentException.class, () -> load("{\"demo\": true, \"host\": \"" + host + "\"}", Map.of()));
        assertDoesNotThrow(() -> load("{}", Map.of(), host, null), "without demo mode any host is fine");
    }
}
