package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /admin/api/v1/clients over real HTTP: every route, secrets once, ETags, paging, bad input. */
class AdminClientsApiTest {
    static TestServer server;
    static AdminApiSupport api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = new AdminApiSupport(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void clientLifecycleWhenCreatedReadReplacedPatchedRotatedDeletedThenSecretShownOnlyOnce() {
        HttpResponse<String> created = api.post("/clients", "{\"client_id\":\"svc-a\",\"grant_types\":[\"client_credentials\"],"
                + "\"scope\":\"read write\",\"access_token_ttl\":600,\"claims\":{\"tenant\":\"acme\"}}");
        JsonNode c = AdminApiSupport.ok(201, created);
        String secret = c.get("client_secret").asText();
        assertEquals(43, secret.length());
        assertEquals(AdminApi.BASE + "/clients/svc-a", created.headers().firstValue("Location").orElseThrow());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("confidential", c.get("client_type").asText());
        assertEquals(600, c.get("access_token_ttl").asInt());
        assertEquals("acme", c.get("claims").get("tenant").asText());
        assertEquals(200, Http.clientCredentials(server.base, "svc-a", secret).statusCode(), "the secret works");

        HttpResponse<String> got = api.get("/clients/svc-a");
        JsonNode g = AdminApiSupport.ok(200, got);
        assertFalse(got.body().contains(secret) || g.has("client_secret") || got.body().contains("argon2"));
        assertEquals(AdminApiSupport.etag(created), AdminApiSupport.etag(got));
        HttpResponse<String> list = api.get("/clients?limit=200");
        assertFalse(list.body().contains(secret) || list.body().contains("client_secret") || list.body().contains("argon2"));

        // PUT: every setting; what is left out goes back to its default (the access token lifetime, the claims)
        HttpResponse<String> put = api.put("/clients/svc-a", "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}",
                "If-Match", AdminApiSupport.etag(got));
        JsonNode p = AdminApiSupport.ok(200, put);
        assertEquals("read", p.get("scope").asText());
        assertEquals(3600, p.get("access_token_ttl").asInt());
        assertEquals(0, p.get("claims").size());
        assertNotEquals(AdminApiSupport.etag(got), AdminApiSupport.etag(put));
        assertEquals(200, Http.clientCredentials(server.base, "svc-a", secret).statusCode(), "PUT keeps the secret");

        // PATCH: a merge patch on what GET shows; GET's body sent back unchanged is fine
        HttpResponse<String> patched = api.patch("/clients/svc-a", "{\"scope\":\"read write\",\"audience\":\"https://api.example\","
                + "\"created_at\":\"" + p.get("created_at").asText() + "\"}", "If-Match", AdminApiSupport.etag(put));
        JsonNode pa = AdminApiSupport.ok(200, patched);
        assertEquals("read write", pa.get("scope").asText());
        assertEquals("https://api.example", pa.get("audience").asText());
        HttpResponse<String> unset = api.patch("/clients/svc-a", "{\"audience\":null}", "If-Match", AdminApiSupport.etag(patched));
        assertTrue(AdminApiSupport.ok(200, unset).get("audience").isNull());

        HttpResponse<String> rotated = api.post("/clients/svc-a/rotate-secret", null);
        JsonNode r = AdminApiSupport.ok(200, rotated);
        String newSecret = r.get("client_secret").asText();
        assertNotEquals(secret, newSecret);
        assertEquals(401, Http.clientCredentials(server.base, "svc-a", secret).statusCode(), "the old secret stops working");
        assertEquals(200, Http.clientCredentials(server.base, "svc-a", newSecret).statusCode());
        assertFalse(api.get("/clients/svc-a").body().contains(newSecret));

        AdminApiSupport.ok(204, api.delete("/clients/svc-a", "If-Match", AdminApiSupport.etag(rotated)));
        AdminApiSupport.problem(404, api.get("/clients/svc-a"));
        AdminApiSupport.problem(404, api.delete("/clients/svc-a", "If-Match", "*"));
        AdminApiSupport.problem(404, api.post("/clients/svc-a/rotate-secret", "{}"));
    }

    @Test
    void publicClientWhenCreatedThenNoSecretAndPkceRequired() {
        JsonNode c = AdminApiSupport.ok(201, api.post("/clients", "{\"client_id\":\"spa\",\"client_type\":\"public\","
                + "\"grant_types\":[\"authorization_code\"],\"redirect_uris\":[\"https://spa.example/cb\"]}"));
        assertFalse(c.has("client_secret"));
        assertTrue(c.get("require_pkce").asBoolean());
        AdminApiSupport.problem(409, api.post("/clients/spa/rotate-secret", null));
        JsonNode bad = AdminApiSupport.problem(400, api.patch("/clients/spa", "{\"client_type\":\"confidential\"}", "If-Match", "*"));
        assertEquals(Set.of("client_type"), AdminApiSupport.fields(bad));
    }

    @Test
    void createWhenInvalidThenFieldsNamedAndNothingLeftBehind() {
        JsonNode unknown = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"scop\":\"a\",\"secret\":\"y\"}"));
        assertEquals(Set.of("scop", "secret"), AdminApiSupport.fields(unknown));
        JsonNode uri = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"grant_types\":[\"authorization_code\"],"
                + "\"redirect_uris\":[\"/relative\",\"javascript:alert(1)\"]}"));
        assertEquals(Set.of("redirect_uris"), AdminApiSupport.fields(uri));
        JsonNode longId = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"" + "i".repeat(51) + "\"}"));
        assertTrue(longId.get("detail").asText().contains("1 to 50"), longId.toString());
        JsonNode several = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"access_token_ttl\":0,"
                + "\"signing_alg\":\"HS256\",\"scope\":\"" + "s ".repeat(1100).trim() + "\",\"claims\":{\"iss\":\"me\"},"
                + "\"grant_types\":[\"password\"],\"require_pkce\":\"yes\"}"));
        assertEquals(Set.of("access_token_ttl", "claims", "grant_types", "require_pkce", "scope", "signing_alg"),
                AdminApiSupport.fields(several));
        JsonNode longSecret = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"client_secret\":\""
                + "z".repeat(101) + "\"}"));
        assertFalse(longSecret.toString().contains("zzzz"), "never echoes a secret");
        JsonNode publicCc = AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"client_type\":\"public\"}"));
        assertEquals(Set.of("grant_types"), AdminApiSupport.fields(publicCc));
        AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":\"x1\",\"client_id\":\"x2\"}"));
        AdminApiSupport.problem(400, api.post("/clients", "[1]"));
        AdminApiSupport.problem(400, api.post("/clients", "{\"client_id\":"));
        AdminApiSupport.problem(400, api.post("/clients", "{}"));
        AdminApiSupport.problem(404, api.get("/clients/x1"));  // nothing half-written
    }

    @Test
    void createWhenIdTakenThen409() {
        AdminApiSupport.ok(201, api.post("/clients", "{\"client_id\":\"dup\"}"));
        AdminApiSupport.problem(409, api.post("/clients", "{\"client_id\":\"dup\"}"));
    }

    @Test
    void writeWhenWrongContentTypeThen415AndWhenTooLargeThen413() {
        AdminApiSupport.problem(415, api.call("POST", "/clients", api.adminToken, "text/plain", "{\"client_id\":\"t1\"}"));
        AdminApiSupport.problem(415, api.call("POST", "/clients", api.adminToken, null, "{\"client_id\":\"t1\"}"));
        AdminApiSupport.problem(415, api.call("PATCH", "/clients/ci-bot", api.adminToken, "application/xml", "<x/>", "If-Match", "*"));
        String big = "{\"client_id\":\"t1\",\"scope\":\"" + "a".repeat(70_000) + "\"}";
        AdminApiSupport.problem(413, api.post("/clients", big));
        AdminApiSupport.problem(404, api.get("/clients/t1"));
    }

    @Test
    void changeWhenIfMatchMissingThen428AndWhenStaleThen412() {
        HttpResponse<String> c = api.post("/clients", "{\"client_id\":\"etag\",\"scope\":\"a\"}");
        String first = AdminApiSupport.etag(c);
        AdminApiSupport.problem(428, api.put("/clients/etag", "{\"scope\":\"b\"}"));
        AdminApiSupport.problem(428, api.patch("/clients/etag", "{\"scope\":\"b\"}"));
        AdminApiSupport.problem(428, api.delete("/clients/etag"));
        String second = AdminApiSupport.etag(AdminApiSupport.okResponse(api.patch("/clients/etag", "{\"scope\":\"b\"}", "If-Match", first)));
        AdminApiSupport.problem(412, api.patch("/clients/etag", "{\"scope\":\"c\"}", "If-Match", first));
        AdminApiSupport.problem(412, api.put("/clients/etag", "{\"scope\":\"c\"}", "If-Match", "W/" + second));
        AdminApiSupport.problem(412, api.delete("/clients/etag", "If-Match", first));
        AdminApiSupport.problem(412, api.post("/clients/etag/rotate-secret", null, "If-Match", first));
        assertEquals("b", AdminApiSupport.ok(200, api.get("/clients/etag")).get("scope").asText(), "nothing changed");
        AdminApiSupport.ok(200, api.patch("/clients/etag", "{\"scope\":\"c\"}", "If-Match", first + ", " + second));
        AdminApiSupport.ok(200, api.patch("/clients/etag", "{\"scope\":\"d\"}", "If-Match", "*"));
        AdminApiSupport.ok(204, api.delete("/clients/etag", "If-Match", "*"));
    }

    @Test
    void listWhenPagedThenEveryClientOnceAndBoundsChecked() {
        for (int i = 0; i < 5; i++) AdminApiSupport.ok(201, api.post("/clients", "{\"client_id\":\"page-" + i + "\"}"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 20; pages++) {
            JsonNode page = AdminApiSupport.ok(200, api.get("/clients?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            assertTrue(page.get("items").size() <= 2);
            page.get("items").forEach(i -> seen.add(i.get("client_id").asText()));
            if (page.get("next_cursor").isNull()) break;
            cursor = page.get("next_cursor").asText();
        }
        assertEquals(seen.stream().sorted().distinct().toList(), seen, "in order, each once");
        assertTrue(seen.containsAll(List.of("page-0", "page-1", "page-2", "page-3", "page-4", "ci-bot", "auditor")));
        for (String bad : List.of("limit=0", "limit=201", "limit=-1", "limit=abc", "limit=1&limit=2", "cursor=%25%25", "cursor=!!",
                "offset=3", "limit=999999999999")) {
            JsonNode p = AdminApiSupport.problem(400, api.get("/clients?" + bad));
            assertFalse(p.get("errors").isEmpty(), bad);
        }
        assertEquals(200, AdminApiSupport.ok(200, api.get("/clients?limit=200")).get("items").size() > 0 ? 200 : 0);
    }

    @Test
    void clientIdWithSlashWhenPercentEncodedThenFound() {
        AdminApiSupport.ok(201, api.post("/clients", "{\"client_id\":\"team/app\"}"));
        assertEquals("team/app", AdminApiSupport.ok(200, api.get("/clients/team%2Fapp")).get("client_id").asText());
    }
}
