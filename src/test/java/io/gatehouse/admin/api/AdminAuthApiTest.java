package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestServer;
import io.gatehouse.testing.TokenForge;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may call the admin API: the auth matrix over real HTTP. */
class AdminAuthApiTest {
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

    private static String challenge(HttpResponse<String> r) {
        return r.headers().firstValue("WWW-Authenticate").orElseThrow(() -> new AssertionError("no challenge: " + r.body()));
    }

    @Test
    void requestWhenNoTokenThen401WithBearerChallenge() {
        for (String[] route : List.of(new String[]{"GET", "/clients"}, new String[]{"POST", "/clients"},
                new String[]{"GET", "/users/x/sessions"}, new String[]{"GET", "/audit-events"}, new String[]{"POST", "/keys/rotate"})) {
            HttpResponse<String> r = api.call(route[0], route[1], null, "application/json", route[0].equals("POST") ? "{}" : null);
            AdminApiSupport.problem(401, r);
            assertEquals("Bearer realm=\"gatehouse-admin\"", challenge(r), route[1]);
        }
        HttpResponse<String> basic = api.call("GET", "/clients", null, null, null, TestServer.basic(AdminApiSupport.ADMIN,
                AdminApiSupport.SECRET));
        AdminApiSupport.problem(401, basic);
        assertTrue(challenge(basic).contains("error=\"invalid_token\""));
    }

    @Test
    void requestWhenTokenInvalidExpiredForeignOrForAnotherAudienceThen401InvalidToken() throws Exception {
        Map<String, Object> claims = TokenForge.claims(api.adminToken);
        RSAKey real = RSAKey.parse(server.privateJwk(SigningAlg.RS256));
        String kid = TokenForge.header(api.adminToken, "kid");
        claims.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        String expired = TokenForge.rs256(real, kid, "at+jwt", claims);
        try (TestServer other = TestServer.start()) {
            other.addClient("ci-bot", AdminApiSupport.SECRET, b -> b.scope(Scope.of(AdminAccess.SCOPE)));
            String foreign = Http.token(other.base, "ci-bot", AdminApiSupport.SECRET);
            server.addClient("app", AdminApiSupport.SECRET, b -> b.scope(Scope.of("read")));
            String otherAudience = Http.token(server.base, "app", AdminApiSupport.SECRET);
            Map<String, Object> wrongIss = TokenForge.claims(api.adminToken);
            wrongIss.put("iss", other.base);
            for (String token : List.of("garbage", expired, foreign, otherAudience, TokenForge.algNone(api.adminToken),
                    TokenForge.tamper(api.adminToken, "scope", "gatehouse:admin x"), TokenForge.rs256(real, kid, "at+jwt", wrongIss),
                    TokenForge.rs256(TokenForge.newRsaKey(), kid, "at+jwt", TokenForge.claims(api.adminToken)))) {
                HttpResponse<String> r = api.call("GET", "/clients", token, null, null);
                AdminApiSupport.problem(401, r);
                assertTrue(challenge(r).startsWith("Bearer realm=\"gatehouse-admin\", error=\"invalid_token\""), challenge(r));
            }
        }
    }

    @Test
    void writeWhenReadOnlyScopeThen403InsufficientScopeAndReadsWork() {
        AdminApiSupport.ok(200, api.call("GET", "/clients", api.readToken, null, null));
        AdminApiSupport.ok(200, api.call("GET", "/keys", api.readToken, null, null));
        for (String[] route : List.of(new String[]{"POST", "/clients"}, new String[]{"PUT", "/clients/ci-bot"},
                new String[]{"PATCH", "/clients/ci-bot"}, new String[]{"DELETE", "/clients/ci-bot"},
                new String[]{"POST", "/keys/rotate"}, new String[]{"DELETE", "/users/u/sessions"})) {
            HttpResponse<String> r = api.call(route[0], route[1], api.readToken, "application/json", "{}", "If-Match", "*");
            AdminApiSupport.problem(403, r);
            assertTrue(challenge(r).contains("error=\"insufficient_scope\"") && challenge(r).contains("scope=\"gatehouse:admin\""),
                    challenge(r));
        }
        AdminApiSupport.ok(200, api.get("/clients/ci-bot"));  // the writes changed nothing
    }

    @Test
    void adminTokenWhenIssuedThenCarriesTheAdminAudienceBesidesTheClients() {
        JsonNode claims = TestServer.jwtPart(api.adminToken, 1);
        assertEquals(List.of(server.base, server.base + "/admin/api"),
                List.of(claims.get("aud").get(0).asText(), claims.get("aud").get(1).asText()));
        assertEquals(AdminAccess.SCOPE, claims.get("scope").asText());
    }

    @Test
    void opaqueAdminTokenWhenValidThenAccepted() {
        server.addClient("opaque-bot", AdminApiSupport.SECRET, b -> b.scope(Scope.of(AdminAccess.SCOPE)).tokenFormat(TokenFormat.OPAQUE));
        String token = Http.token(server.base, "opaque-bot", AdminApiSupport.SECRET);
        AdminApiSupport.ok(200, api.call("GET", "/clients", token, null, null));
    }

    @Test
    void openApiDocumentWhenNoTokenThenServed() {
        HttpResponse<String> r = server.get(AdminApi.BASE + "/openapi.json");
        assertEquals(200, r.statusCode());
        assertEquals("3.1.0", TestServer.json(r).get("openapi").asText());
    }
}
