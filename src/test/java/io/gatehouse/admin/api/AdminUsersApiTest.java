package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /admin/api/v1/users over real HTTP. */
class AdminUsersApiTest {
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
    void userLifecycleWhenCreatedPatchedPasswordSetDeletedThenPasswordNeverShown() {
        HttpResponse<String> created = api.post("/users", "{\"username\":\"ops\",\"password\":\"correct horse\","
                + "\"email\":\"ops@example.com\",\"email_verified\":true,\"name\":\"Ops\",\"roles\":[\"admin\"],"
                + "\"claims\":{\"locale\":\"en\"},\"address\":{\"locality\":\"Springfield\"}}");
        JsonNode u = AdminApiSupport.ok(201, created);
        assertEquals(AdminApi.BASE + "/users/ops", created.headers().firstValue("Location").orElseThrow());
        assertTrue(u.get("sub").asText().startsWith("u_"));
        assertEquals("admin", u.get("roles").get(0).asText());
        assertEquals("Springfield", u.get("address").get("locality").asText());
        assertFalse(created.body().contains("correct horse") || created.body().contains("argon2") || u.has("password"));
        HttpResponse<String> got = api.get("/users/ops");
        assertEquals(AdminApiSupport.etag(created), AdminApiSupport.etag(got));
        assertFalse(got.body().contains("argon2"));

        HttpResponse<String> patched = api.patch("/users/ops", "{\"email\":\"ops2@example.com\",\"roles\":[],\"address\":null,"
                + "\"claims\":{\"locale\":null,\"zoneinfo\":\"Europe/Paris\"}}", "If-Match", AdminApiSupport.etag(got));
        JsonNode p = AdminApiSupport.ok(200, patched);
        assertEquals("ops2@example.com", p.get("email").asText());
        assertFalse(p.get("email_verified").asBoolean(), "a new email is not verified");
        assertEquals(0, p.get("roles").size());
        assertTrue(p.get("address").isNull());
        assertEquals("{\"zoneinfo\":\"Europe/Paris\"}", p.get("claims").toString());
        assertEquals("Ops", p.get("name").asText(), "left alone");

        HttpResponse<String> pw = api.post("/users/ops/password", "{\"password\":\"battery staple\"}");
        AdminApiSupport.ok(204, pw);
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> login = browser.login(browser.authorize(OidcFlow.authz("nobody")), "ops", "battery staple");
        assertTrue(login.statusCode() < 500);
        AdminApiSupport.problem(412, api.delete("/users/ops", "If-Match", AdminApiSupport.etag(patched)));
        AdminApiSupport.ok(204, api.delete("/users/ops", "If-Match", AdminApiSupport.etag(pw)));
        AdminApiSupport.problem(404, api.get("/users/ops"));
    }

    @Test
    void createWhenInvalidThenFieldsNamedAndNothingStored() {
        JsonNode p = AdminApiSupport.problem(400, api.post("/users", "{\"username\":\"bad name\",\"password\":\"short\","
                + "\"email\":\"nope\",\"roles\":[\"root\"],\"claims\":{\"sub\":\"x\"},\"name\":\"" + "n".repeat(201) + "\",\"pwd\":1}"));
        assertEquals(Set.of("claims", "email", "name", "password", "pwd", "roles", "username"), AdminApiSupport.fields(p));
        assertFalse(p.toString().contains("short"), "never echoes a password");
        AdminApiSupport.problem(400, api.post("/users", "{\"username\":\"" + "u".repeat(101) + "\",\"password\":\"long enough\"}"));
        AdminApiSupport.problem(400, api.post("/users", "{\"username\":\"ok\",\"password\":\"" + "p".repeat(1025) + "\"}"));
        AdminApiSupport.problem(400, api.post("/users", "{\"username\":\"ok\"}"));
        AdminApiSupport.problem(404, api.get("/users/ok"));
        AdminApiSupport.ok(201, api.post("/users", "{\"username\":\"taken\",\"password\":\"long enough\"}"));
        AdminApiSupport.problem(409, api.post("/users", "{\"username\":\"taken\",\"password\":\"long enough\"}"));
    }

    @Test
    void patchWhenReadOnlyChangedOrStaleThenRefused() {
        HttpResponse<String> c = api.post("/users", "{\"username\":\"ro\",\"password\":\"long enough\"}");
        JsonNode bad = AdminApiSupport.problem(400, api.patch("/users/ro", "{\"username\":\"other\",\"sub\":\"u_x\"}", "If-Match", "*"));
        assertEquals(Set.of("sub", "username"), AdminApiSupport.fields(bad));
        AdminApiSupport.problem(428, api.patch("/users/ro", "{\"name\":\"R\"}"));
        AdminApiSupport.problem(428, api.delete("/users/ro"));
        HttpResponse<String> ok = api.patch("/users/ro", "{\"name\":\"R\"}", "If-Match", AdminApiSupport.etag(c));
        AdminApiSupport.ok(200, ok);
        AdminApiSupport.problem(412, api.patch("/users/ro", "{\"name\":\"S\"}", "If-Match", AdminApiSupport.etag(c)));
        AdminApiSupport.problem(412, api.post("/users/ro/password", "{\"password\":\"long enough 2\"}", "If-Match", AdminApiSupport.etag(c)));
        AdminApiSupport.problem(400, api.post("/users/ro/password", "{\"password\":\"x\"}"));
        AdminApiSupport.problem(400, api.post("/users/ro/password", "{\"password\":\"long enough\",\"force\":true}"));
        AdminApiSupport.problem(415, api.call("POST", "/users/ro/password", api.adminToken, "text/plain", "long enough"));
        AdminApiSupport.problem(404, api.post("/users/nobody/password", "{\"password\":\"long enough\"}"));
    }

    @Test
    void listWhenPagedThenBoundsChecked() {
        for (int i = 0; i < 3; i++) api.post("/users", "{\"username\":\"list-" + i + "\",\"password\":\"long enough\"}");
        JsonNode first = AdminApiSupport.ok(200, api.get("/users?limit=1"));
        assertEquals(1, first.get("items").size());
        assertFalse(first.get("next_cursor").isNull());
        JsonNode second = AdminApiSupport.ok(200, api.get("/users?limit=1&cursor=" + first.get("next_cursor").asText()));
        assertTrue(second.get("items").get(0).get("username").asText().compareTo(first.get("items").get(0).get("username").asText()) > 0);
        AdminApiSupport.problem(400, api.get("/users?limit=0"));
        AdminApiSupport.problem(400, api.get("/users?limit=201"));
        AdminApiSupport.problem(400, api.get("/users?sort=name"));
    }
}
