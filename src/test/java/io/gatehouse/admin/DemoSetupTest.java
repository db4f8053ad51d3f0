package io.gatehouse.admin;

import io.gatehouse.Gatehouse;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestDb;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** serve --demo: the seed examples replay unchanged against a fresh server. */
class DemoSetupTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withDemo(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void demoWhenSeed000ExampleThenTokenAndResource() {
        HttpResponse<String> r = server.post("/oauth/token/get", "application/json",
                "{\n    \"app_id\":\"coupang\",\n    \"app_secret\":\"coupangTest\"\n}");
        assertEquals(200, r.statusCode(), r.body());
        String bearer = json(r).get("accessToken").asText();
        assertEquals("[\"bailunApi\"]", TestServer.jwtPart(bearer.substring(7), 1).get("scope").toString());
        // The spec's example header: alg, kid, typ at+jwt and x5t, the thumbprint of the key's certificate in the JWKS.
        var header = TestServer.jwtPart(bearer.substring(7), 0);
        assertEquals(List.of("alg", "kid", "typ", "x5t"), sortedNames(header));
        String kid = header.get("kid").asText();
        String x5t = null;
        for (var k : json(server.get("/jwks")).get("keys")) {
            if (k.get("kid").asText().equals(kid)) x5t = k.get("x5t").asText();
        }
        assertEquals(x5t, header.get("x5t").asText());
        assertEquals("Ok!You successfully caught me. The Id is 1", server.get("/product/get?id=1", "Authorization", bearer).body());
        assertEquals(200, server.get("/product").statusCode());
    }

    @Test
    void demoWhenSeed001ExampleThenToken7199WithFirstVisionId() {
        HttpResponse<String> r = server.post("/v1/api/oauth/token", "application/json", """
                {
                  "grant_type": "client_credentials",
                  "scope": "all",
                  "client_id": "vision-api-user",
                  "client_secret": "abcdefghizklmnopponommnshfghzxxs"
                }""");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(7199, json(r).get("expires_in").asInt());
        assertEquals("00000AUNAB", TestServer.jwtPart(json(r).get("access_token").asText(), 1).get("firstVisionId").asText());
        assertEquals(List.of("alg", "kid", "typ"), sortedNames(TestServer.jwtPart(json(r).get("access_token").asText(), 0)),
                "seed 001's client does not ask for x5t");
    }

    @Test
    void demoWhenSeed002ClientThenRegisteredForCodeFlow() {
        Client c = server.clients.find(DemoSetup.OIDC_ID);
        assertEquals(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), c.grantTypes());
        assertEquals(List.of(DemoSetup.OIDC_REDIRECT), c.redirectUris());
        assertEquals("openid profile email offline_access", c.scope().asString());
        assertTrue(c.refreshTokens());
        assertFalse(c.isPublic());
        assertEquals(ScopeClaim.ARRAY, server.clients.find(DemoSetup.APP_ID).scopeClaim());
        assertEquals(Map.of("firstVisionId", "00000AUNAB"), server.clients.find(DemoSetup.VISION_ID).claims());
    }

    @Test
    void demoWhenRunAgainThenExistingClientsKept() {
        UserAdmin users = new UserAdmin(new io.gatehouse.store.jdbc.JdbcUserStore(server.db),
                new io.gatehouse.core.SecretHasher(), java.time.Clock.systemUTC(), new java.security.SecureRandom());
        assertEquals(List.of(), new DemoSetup(server.clients, users).ensure());
        assertEquals("Demo User", users.find(DemoSetup.USER).name().orElseThrow());
    }

    @Test
    void demoWhenRegisteredThenMarkedAsDemoData() {
        for (String id : List.of(DemoSetup.APP_ID, DemoSetup.VISION_ID, DemoSetup.OIDC_ID)) {
            assertTrue(server.clients.find(id).demo(), id);
            assertFalse(server.clients.find(id).resourceServer(), id);
        }
        assertTrue(io.gatehouse.testing.OidcFlow.users(server).find(DemoSetup.USER).demo());
        Client mine = server.addClient("mine-" + System.nanoTime(), "s3cret", b -> { });
        assertFalse(server.clients.find(mine.id().value()).demo(), "a client registered by hand is never demo data");
    }

    /** Three starts on one data directory: --demo, --demo again, then without --demo. */
    @Test
    void demoWhenRestartedWithDemoThenKeptOnceAndWithoutDemoThenRemoved() {
        Path dir = TestDb.tempDir("demo-restart");
        ServerConfig cfg = ServerConfig.forTest(dir);
        try (Database db = Database.open(cfg.database(), Database.Role.CLI)) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            ClientAdmin clients = new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(1024, 1), Clock.systemUTC(),
                    new SecureRandom());
            UserAdmin users = io.gatehouse.testing.OidcFlow.users(db);
            clients.add("mine", Optional.of("s3cret"), false, b -> { });
            users.add("bob", "bob-password", new UserAdmin.Changes(null, null, null, null));
            List<String> all = List.of("coupang", "mine", "oidc-demo", "vision-api-user");

            String oidcHash;
            try (Gatehouse gh = Gatehouse.start(cfg.withDemo(true), Clock.systemUTC())) {
                assertEquals(all, ids(clients));
                oidcHash = clients.find(DemoSetup.OIDC_ID).secretHash().orElseThrow();
                assertEquals(List.of("bob", "demo"), usernames(users));
                assertFalse(Http.token(gh.issuer(), DemoSetup.APP_ID, DemoSetup.APP_KEY).isEmpty());
            }
            try (Gatehouse gh = Gatehouse.start(cfg.withDemo(true), Clock.systemUTC())) {
                assertEquals(all, ids(clients), "kept, not registered twice");
                assertEquals(oidcHash, clients.find(DemoSetup.OIDC_ID).secretHash().orElseThrow(), "the same rows");
                assertEquals(List.of("bob", "demo"), usernames(users));
                assertTrue(clients.find(DemoSetup.APP_ID).demo());
            }
            try (Gatehouse gh = Gatehouse.start(cfg, Clock.systemUTC())) {
                assertEquals(List.of("mine"), ids(clients), "the demo clients are gone, the client added by hand is kept");
                assertEquals(List.of("bob"), usernames(users));
                HttpResponse<String> r = Http.form(gh.issuer() + "/oauth2/token", "grant_type=client_credentials",
                        TestServer.basic(DemoSetup.APP_ID, DemoSetup.APP_KEY));
                assertEquals(401, r.statusCode(), "the well-known secret no longer works: " + r.body());
            }
        } finally {
            TestDb.deleteTree(dir);
        }
    }

    static List<String> ids(ClientAdmin clients) {
        return clients.list().stream().map(c -> c.id().value()).sorted().toList();
    }

    static List<String> usernames(UserAdmin users) {
        return users.list().stream().map(io.gatehouse.core.model.User::username).sorted().toList();
    }

    @Test
    void instructionsWhenRenderedThenEverySeedExampleWithBase() {
        String s = DemoSetup.instructions("http://127.0.0.1:9000");
        assertTrue(s.contains("curl -s -X POST http://127.0.0.1:9000/oauth/token/get -H 'Content-Type: application/json' "
                + "-d '{\"app_id\":\"coupang\",\"app_secret\":\"coupangTest\"}'"), s);
        assertTrue(s.contains("curl -s 'http://127.0.0.1:9000/product/get?id=1' -H \"Authorization: Bearer $TOKEN\""), s);
        assertTrue(s.contains("\"client_id\":\"vision-api-user\",\"client_secret\":\"abcdefghizklmnopponommnshfghzxxs\""), s);
        assertTrue(s.contains("/api/v1/oauth2/token -u oidc-demo:oidc-demo-secret"), s);
    }

    static List<String> sortedNames(com.fasterxml.jackson.databind.JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
    }
}
