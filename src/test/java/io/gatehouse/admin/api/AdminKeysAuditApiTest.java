package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys, mounts and the audit log through the API. */
class AdminKeysAuditApiTest {
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
    void keysWhenRotatedAndRetiredThenListedWithoutKeyMaterial() {
        JsonNode keys = AdminApiSupport.ok(200, api.get("/keys"));
        assertEquals(4, keys.get("items").size());
        assertFalse(keys.toString().contains("\"d\"") || keys.toString().contains("private"), "no key material");
        JsonNode created = AdminApiSupport.ok(201, api.post("/keys/rotate", "{\"alg\":\"ES256\"}"));
        JsonNode next = created.get("items").get(0);
        assertEquals("next", next.get("state").asText());
        assertFalse(next.get("signs_from").isNull());
        AdminApiSupport.problem(409, api.post("/keys/rotate", "{\"alg\":\"ES256\"}"));
        AdminApiSupport.problem(409, api.post("/keys/rotate", null));
        JsonNode badAlg = AdminApiSupport.problem(400, api.post("/keys/rotate", "{\"alg\":\"HS256\",\"size\":1}"));
        assertEquals(Set.of("alg", "size"), AdminApiSupport.fields(badAlg));
        AdminApiSupport.problem(404, api.post("/keys/nope/retire", null));
        JsonNode retired = AdminApiSupport.ok(200, api.post("/keys/" + next.get("kid").asText() + "/retire", "{}"));
        assertTrue(retired.get("result").asText().startsWith("retired "));
        AdminApiSupport.problem(409, api.post("/keys/" + next.get("kid").asText() + "/retire", null));
        JsonNode events = AdminApiSupport.ok(200, api.get("/audit-events?type=key.changed"));
        assertEquals("api (client ci-bot)", events.get("items").get(0).get("actor").asText());
    }

    @Test
    void mountsWhenListedThenTheConfiguredOnes() {
        JsonNode mounts = AdminApiSupport.ok(200, api.get("/mounts"));
        List<String> paths = new ArrayList<>();
        mounts.get("items").forEach(m -> paths.add(m.get("path").asText()));
        assertEquals(List.of("/oauth2/token", "/api/v1/oauth2/token", "/oauth/token/get", "/v1/api/oauth/token"), paths);
    }

    @Test
    void auditEventsWhenFilteredThenMatchingNewestFirstAndPaged() {
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3; i++) AdminApiSupport.ok(201, api.post("/clients", "{\"client_id\":\"audited-" + i + "\"}"));
        server.form("/oauth2/token", "grant_type=client_credentials", TestServer.basic("audited-0", "zq-presented-zq"));
        JsonNode all = AdminApiSupport.ok(200, api.get("/audit-events?since=" + before + "&type=client.changed"
                + "&actor=api%20(client%20ci-bot)&limit=2"));
        assertEquals(2, all.get("items").size());
        assertEquals("audited-2", all.get("items").get(0).get("subject").asText());
        assertTrue(all.get("items").get(0).get("detail").asText().contains("client added"));
        JsonNode rest = AdminApiSupport.ok(200, api.get("/audit-events?since=" + before + "&type=client.changed"
                + "&actor=api%20(client%20ci-bot)&limit=2&cursor=" + all.get("next_cursor").asText()));
        assertEquals("audited-0", rest.get("items").get(0).get("subject").asText());
        JsonNode failures = AdminApiSupport.ok(200, api.get("/audit-events?type=client_authentication.failed"));
        assertEquals("audited-0", failures.get("items").get(0).get("subject").asText());
        assertFalse(failures.toString().contains("zq-presented"), "never the presented secret");
        assertEquals(0, AdminApiSupport.ok(200, api.get("/audit-events?until=" + before.minusSeconds(3600))).get("items").size());
        for (String bad : List.of("since=yesterday", "until=2026-13-01T00:00:00Z", "type=everything", "cursor=abc", "who=me",
                "limit=0", "limit=201", "actor=" + "a".repeat(201))) {
            AdminApiSupport.problem(400, api.get("/audit-events?" + bad));
        }
    }
}
