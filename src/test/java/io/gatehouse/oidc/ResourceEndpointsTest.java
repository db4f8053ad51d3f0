package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.User;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** Userinfo (RFC 6750 errors), introspection (RFC 7662), revocation (RFC 7009) and discovery. */
class ResourceEndpointsTest {
    static TestServer server;
    static User alice;
    static OidcFlow browser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("jwt", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true));
        server.addClient("opaque", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true).tokenFormat(TokenFormat.OPAQUE));
        server.addClient("rs", "s3cret", b -> b.scope(Scope.of("api")).resourceServer(true));
        server.clients.add("spa", Optional.empty(), true, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
        browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("jwt"), "alice", "correct horse"), Optional.of("st-1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode tokens(String client) {
        String code = browser.code(browser.authorizeAndApprove(authz(client), "alice", "correct horse"), Optional.of("st-1"));
        return tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT),
                basic(client, "s3cret")));
    }

    static HttpResponse<String> introspect(String client, String token) {
        return server.form("/oauth2/introspect", q("token", token), basic(client, "s3cret"));
    }

    static String challenge(HttpResponse<String> r) {
        return r.headers().firstValue("WWW-Authenticate").orElse("");
    }

    @Test
    void userinfoWhenBearerHeaderOrFormBodyThenClaims() {
        for (String client : List.of("jwt", "opaque")) {
            String at = tokens(client).get("access_token").asText();
            for (HttpResponse<String> r : List.of(server.get("/oauth2/userinfo", "Authorization", "Bearer " + at),
                    server.form("/oauth2/userinfo", "", "Authorization", "bearer " + at),
                    server.form("/oauth2/userinfo", q("access_token", at)))) {
                assertEquals(200, r.statusCode(), client + " " + r.body());
                assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
                JsonNode c = json(r);
                assertEquals(alice.id(), c.get("sub").asText());
                assertEquals("alice", c.get("preferred_username").asText());
                assertEquals("alice@example.com", c.get("email").asText());
                assertTrue(c.get("email_verified").asBoolean());
            }
        }
    }

    @Test
    void userinfoWhenNoTokenThen401ChallengeWithoutErrorCode() {
        HttpResponse<String> r = server.get("/oauth2/userinfo");
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"gatehouse\"", challenge(r));
        HttpResponse<String> basicAuth = server.get("/oauth2/userinfo", "Authorization", "Basic YTpi");
        assertEquals(401, basicAuth.statusCode());
        assertEquals("Bearer realm=\"gatehouse\"", challenge(basicAuth));
    }

    @Test
    void userinfoWhenTokenInvalidOrExpiredOrForgedThenInvalidToken401() {
        String at = tokens("jwt").get("access_token").asText();
        String[] parts = at.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        JsonNode cc = json(server.form("/oauth2/token", "grant_type=client_credentials", basic("rs", "s3cret")));
        String b64 = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9";  // {"alg":"RS256","typ":"at+jwt"}: no kid
        String none = "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0Iiwia2lkIjoieCJ9";  // alg none
        for (String bad : List.of("garbage", forged, parts[0] + "." + parts[1] + ".", cc.get("access_token").asText(),
                b64 + "." + parts[1] + "." + parts[2], none + "." + parts[1] + ".", "a.b.c", "...", "e30.e30.e30")) {
            HttpResponse<String> r = server.get("/oauth2/userinfo", "Authorization", "Bearer " + bad);
            assertTrue(r.statusCode() == 401 || r.statusCode() == 403, bad + " " + r.statusCode());
            if (r.statusCode() == 401) {
                assertTrue(challenge(r).startsWith("Bearer realm=\"gatehouse\", error=\"invalid_token\""), challenge(r));
                assertEquals("invalid_token", json(r).get("error").asText());
            }
        }
    }

    @Test
    void userinfoWhenTokenInHeaderAndBodyOrMalformedThenInvalidRequest400() {
        String at = tokens("jwt").get("access_token").asText();
        HttpResponse<String> both = server.form("/oauth2/userinfo", q("access_token", at), "Authorization", "Bearer " + at);
        assertEquals(400, both.statusCode());
        assertTrue(challenge(both).contains("error=\"invalid_request\""));
        HttpResponse<String> malformed = server.get("/oauth2/userinfo", "Authorization", "Bearer a b");
        assertEquals(400, malformed.statusCode());
    }

    @Test
    void introspectWhenActiveJwtOrOpaqueThenRfc7662Fields() {
        for (String client : List.of("jwt", "opaque")) {
            JsonNode t = tokens(client);
            HttpResponse<String> r = introspect("rs", t.get("access_token").asText());
            assertEquals(200, r.statusCode());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
            JsonNode b = json(r);
            assertTrue(b.get("active").asBoolean());
            assertEquals("openid profile email", b.get("scope").asText());
            assertEquals(client, b.get("client_id").asText());
            assertEquals("alice", b.get("username").asText());
            assertEquals(alice.id(), b.get("sub").asText());
            assertEquals("Bearer", b.get("token_type").asText());
            assertEquals(server.base, b.get("iss").asText());
            assertTrue(b.get("exp").asLong() > b.get("iat").asLong());
            JsonNode rt = json(introspect(client, t.get("refresh_token").asText()));
            assertTrue(rt.get("active").asBoolean());
            assertEquals("refresh_token", rt.get("token_type").asText());
        }
    }

    @Test
    void introspectWhenInactiveUnknownOrForeignRefreshThenExactlyActiveFalse() {
        JsonNode t = tokens("jwt");
        List<String> inactive = new ArrayList<>(List.of("nope", "a.b.c", "x".repeat(10_000)));
        inactive.add(t.get("refresh_token").asText());  // a refresh token of another client
        for (String token : inactive) {
            HttpResponse<String> r = introspect("rs", token);
            assertEquals(200, r.statusCode());
            assertEquals("{\"active\":false}", r.body());
        }
    }

    @Test
    void introspectWhenNoOrBadClientAuthThen401AndMissingTokenThen400() {
        assertEquals(401, server.form("/oauth2/introspect", q("token", "x")).statusCode());
        assertEquals(401, server.form("/oauth2/introspect", q("token", "x", "client_id", "spa")).statusCode());
        HttpResponse<String> bad = server.form("/oauth2/introspect", q("token", "x"), basic("rs", "wrong"));
        assertEquals(401, bad.statusCode());
        assertEquals("invalid_client", json(bad).get("error").asText());
        HttpResponse<String> missing = server.form("/oauth2/introspect", "", basic("rs", "s3cret"));
        assertEquals(400, missing.statusCode());
        assertEquals("invalid_request", json(missing).get("error").asText());
    }

    @Test
    void revokeWhenAccessTokenThenInactiveEverywhere() {
        for (String client : List.of("jwt", "opaque")) {
            JsonNode t = tokens(client);
            String at = t.get("access_token").asText();
            HttpResponse<String> r = server.form("/oauth2/revoke", q("token", at, "token_type_hint", "access_token"), basic(client, "s3cret"));
            assertEquals(200, r.statusCode());
            assertEquals("{\"active\":false}", introspect("rs", at).body(), client);
            assertEquals(401, server.get("/oauth2/userinfo", "Authorization", "Bearer " + at).statusCode());
            assertTrue(json(introspect(client, t.get("refresh_token").asText())).get("active").asBoolean(),
                    "revoking an access token leaves the refresh token");
        }
    }

    @Test
    void revokeWhenRefreshTokenThenItsAccessTokensRevokedToo() {
        for (String client : List.of("jwt", "opaque")) {
            JsonNode t = tokens(client);
            assertEquals(200, server.form("/oauth2/revoke", q("token", t.get("refresh_token").asText()), basic(client, "s3cret")).statusCode());
            assertEquals("{\"active\":false}", introspect("rs", t.get("access_token").asText()).body(), client);
            assertEquals("{\"active\":false}", introspect(client, t.get("refresh_token").asText()).body(), client);
        }
    }

    @Test
    void revokeWhenUnknownOrForeignTokenThen200AndNothingChanges() {
        JsonNode t = tokens("jwt");
        assertEquals(200, server.form("/oauth2/revoke", q("token", "unknown"), basic("jwt", "s3cret")).statusCode());
        assertEquals(200, server.form("/oauth2/revoke", q("token", t.get("access_token").asText()), basic("opaque", "s3cret")).statusCode());
        assertEquals(200, server.form("/oauth2/revoke", q("token", t.get("refresh_token").asText()), basic("opaque", "s3cret")).statusCode());
        assertTrue(json(introspect("rs", t.get("access_token").asText())).get("active").asBoolean());
        assertTrue(json(introspect("jwt", t.get("refresh_token").asText())).get("active").asBoolean());
        assertEquals(401, server.form("/oauth2/revoke", q("token", "x"), basic("jwt", "wrong")).statusCode());
        assertEquals(400, server.form("/oauth2/revoke", "", basic("jwt", "s3cret")).statusCode());
    }

    @Test
    void discoveryAdvertisesTheCodeFlow() {
        JsonNode m = json(server.get("/.well-known/openid-configuration"));
        assertEquals(server.base + "/oauth2/authorize", m.get("authorization_endpoint").asText());
        assertEquals(server.base + "/oauth2/token", m.get("token_endpoint").asText());
        assertEquals(server.base + "/oauth2/userinfo", m.get("userinfo_endpoint").asText());
        assertEquals(server.base + "/oauth2/introspect", m.get("introspection_endpoint").asText());
        assertEquals(server.base + "/oauth2/revoke", m.get("revocation_endpoint").asText());
        assertEquals(server.base + "/oauth2/logout", m.get("end_session_endpoint").asText());
        assertEquals("[\"S256\"]", m.get("code_challenge_methods_supported").toString());
        assertEquals("[\"code\"]", m.get("response_types_supported").toString());
        assertEquals("[\"public\"]", m.get("subject_types_supported").toString());
        assertTrue(m.get("authorization_response_iss_parameter_supported").asBoolean());
        assertTrue(m.get("id_token_signing_alg_values_supported").toString().contains("RS256"));
        assertTrue(m.get("token_endpoint_auth_methods_supported").toString().contains("\"none\""));
        assertTrue(m.get("grant_types_supported").toString().contains("authorization_code"));
        assertTrue(m.get("grant_types_supported").toString().contains("refresh_token"));
        assertTrue(m.get("scopes_supported").toString().contains("openid"));
        assertTrue(m.get("claims_supported").toString().contains("email_verified"));
    }
}
