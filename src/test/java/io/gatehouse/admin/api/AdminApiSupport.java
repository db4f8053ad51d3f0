package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server with an admin client (scope gatehouse:admin) and a read-only one, and calls to the admin API as them. */
class AdminApiSupport {
    static final String API = AdminApi.BASE;
    static final String ADMIN = "ci-bot";
    static final String READER = "auditor";
    static final String SECRET = "s3cret-for-tests";

    final TestServer server;
    final String adminToken;
    final String readToken;

    AdminApiSupport(TestServer server) {
        this.server = server;
        server.addClient(ADMIN, SECRET, b -> b.scope(Scope.of(AdminAccess.SCOPE)).grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS)));
        server.addClient(READER, SECRET, b -> b.scope(Scope.of(AdminAccess.READ_SCOPE)));
        adminToken = Http.token(server.base, ADMIN, SECRET);
        readToken = Http.token(server.base, READER, SECRET);
    }

    HttpResponse<String> call(String method, String path, String token, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + API + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        return server.send(b, headers);
    }

    HttpResponse<String> get(String path) {
        return call("GET", path, adminToken, null, null);
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        return call("POST", path, adminToken, "application/json", json, headers);
    }

    HttpResponse<String> put(String path, String json, String... headers) {
        return call("PUT", path, adminToken, "application/json", json, headers);
    }

    HttpResponse<String> patch(String path, String json, String... headers) {
        return call("PATCH", path, adminToken, "application/merge-patch+json", json, headers);
    }

    HttpResponse<String> delete(String path, String... headers) {
        return call("DELETE", path, adminToken, null, null, headers);
    }

    static JsonNode ok(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : TestServer.json(r);
    }

    static HttpResponse<String> okResponse(HttpResponse<String> r) {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return r;
    }

    /** An RFC 9457 problem with this status; @return its body */
    static JsonNode problem(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = TestServer.json(r);
        assertEquals(status, p.get("status").asInt());
        assertEquals("about:blank", p.get("type").asText());
        assertTrue(p.hasNonNull("title") && p.hasNonNull("detail"), r.body());
        return p;
    }

    /** The fields a 400 names. */
    static Set<String> fields(JsonNode problem) {
        Set<String> out = new java.util.TreeSet<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }

    static String etag(HttpResponse<String> r) {
        return r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
    }
}
