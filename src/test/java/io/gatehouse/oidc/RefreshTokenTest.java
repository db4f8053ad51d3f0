package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;
import io.gatehouse.testing.MutableClock;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** The refresh_token grant: rotation, reuse detection, scope narrowing, binding to the client, races. */
class RefreshTokenTest {
    static final MutableClock clock = new MutableClock();
    static TestServer server;
    static User alice;
    static OidcFlow browser;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c, clock);
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        for (String id : List.of("rt", "rt2")) {
            server.addClient(id, "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                    .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true).scope(Scope.of("api"))
                    .refreshTokenTtl(Duration.ofHours(1)));
        }
        server.addClient("plain", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
        server.clients.add("spa", Optional.empty(), true, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true));
        browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("rt"), "alice", "correct horse"), Optional.of("st-1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode tokens(String client, String scope) {
        String code = browser.code(browser.authorizeAndApprove(authz(client, "scope", scope), "alice", "correct horse"),
                Optional.of("st-1"));
        return tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT),
                basic(client, "s3cret")));
    }

    static HttpResponse<String> refresh(String client, String token, String... extra) {
        return server.form("/oauth2/token", q("grant_type", "refresh_token", "refresh_token", token)
                + (extra.length == 0 ? "" : "&" + q(extra)), basic(client, "s3cret"));
    }

    static boolean active(String client, String token) {
        return json(server.form("/oauth2/introspect", q("token", token), basic(client, "s3cret"))).get("active").asBoolean();
    }

    static void assertError(HttpResponse<String> r, String error) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(error, json(r).get("error").asText());
    }

    @Test
    void refreshWhenValidThenRotatedWithNewIdTokenAndOldOneDead() throws Exception {
        JsonNode first = tokens("rt", "openid profile api");
        JsonNode second = tokenOk(refresh("rt", first.get("refresh_token").asText()));
        assertNotEquals(first.get("refresh_token").asText(), second.get("refresh_token").asText());
        assertEquals("openid profile api", second.get("scope").asText());
        JWTClaimsSet id = OidcFlow.verify(server, second.get("id_token").asText(), JOSEObjectType.JWT);
        assertEquals(alice.id(), id.getSubject());
        assertNull(id.getClaim("nonce"));
        assertEquals(OidcFlow.verify(server, first.get("id_token").asText(), JOSEObjectType.JWT).getClaim("auth_time"),
                id.getClaim("auth_time"));
        assertFalse(active("rt", first.get("refresh_token").asText()));
        assertTrue(active("rt", second.get("refresh_token").asText()));
        tokenOk(refresh("rt", second.get("refresh_token").asText()));
    }

    @Test
    void refreshWhenOldTokenReusedThenInvalidGrantAndWholeFamilyRevoked() {
        JsonNode first = tokens("rt", "openid api");
        JsonNode second = tokenOk(refresh("rt", first.get("refresh_token").asText()));
        assertError(refresh("rt", first.get("refresh_token").asText()), "invalid_grant");
        assertFalse(active("rt", second.get("refresh_token").asText()), "the family is revoked");
        assertFalse(active("rt", second.get("access_token").asText()), "its access tokens too");
        assertFalse(active("rt", first.get("access_token").asText()));
        assertError(refresh("rt", second.get("refresh_token").asText()), "invalid_grant");
    }

    @Test
    void refreshWhenNarrowerScopeThenGrantedAndWiderRefused() {
        JsonNode first = tokens("rt", "openid profile api");
        JsonNode narrow = tokenOk(refresh("rt", first.get("refresh_token").asText(), "scope", "api"));
        assertEquals("api", narrow.get("scope").asText());
        assertFalse(narrow.has("id_token"), "no openid in the narrowed scope");
        // The new refresh token keeps the original scope (RFC 6749 §6).
        JsonNode back = tokenOk(refresh("rt", narrow.get("refresh_token").asText(), "scope", "openid profile"));
        assertEquals("openid profile", back.get("scope").asText());
        HttpResponse<String> wider = refresh("rt", back.get("refresh_token").asText(), "scope", "openid profile api email");
        assertError(wider, "invalid_scope");
        tokenOk(refresh("rt", back.get("refresh_token").asText()));  // a refused scope does not burn the token
    }

    @Test
    void refreshWhenTwentyParallelUsesThenExactlyOneSuccess() throws Exception {
        String token = tokens("rt", "openid").get("refresh_token").asText();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return refresh("rt", token);
                }));
            }
            go.countDown();
            int ok = 0;
            int invalid = 0;
            for (Future<HttpResponse<String>> f : results) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) ok++;
                else if (r.statusCode() == 400 && json(r).get("error").asText().equals("invalid_grant")) invalid++;
            }
            assertEquals(1, ok);
            assertEquals(19, invalid);
        }
    }

    @Test
    void refreshWhenOtherClientOrUnknownOrAccessTokenThenInvalidGrant() {
        JsonNode t = tokens("rt", "openid");
        assertError(refresh("rt2", t.get("refresh_token").asText()), "invalid_grant");
        assertTrue(active("rt", t.get("refresh_token").asText()), "not burnt by another client");
        assertError(refresh("rt", "unknown-token"), "invalid_grant");
        assertError(refresh("rt", t.get("access_token").asText()), "invalid_grant");
    }

    @Test
    void refreshWhenExpiredThenInvalidGrant() {
        String token = tokens("rt", "openid").get("refresh_token").asText();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        try {
            assertError(refresh("rt", token), "invalid_grant");
        } finally {
            clock.advance(Duration.ofHours(-1).minusSeconds(1));
        }
    }

    @Test
    void refreshWhenClientNotConfiguredThenNoRefreshTokenAndUnauthorizedClient() {
        JsonNode t = tokens("plain", "openid");
        assertFalse(t.has("refresh_token"), "off by default, as the seed says");
        assertError(refresh("plain", "whatever"), "unauthorized_client");
    }

    @Test
    void refreshWhenPublicClientThenWorksWithClientIdOnly() {
        String[] pkce = OidcFlow.pkce();
        String code = browser.code(browser.authorizeAndApprove(authz("spa", "code_challenge", pkce[1],
                "code_challenge_method", "S256", "scope", "openid offline_access"), "alice", "correct horse"), Optional.of("st-1"));
        JsonNode t = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "client_id", "spa", "code_verifier", pkce[0])));
        JsonNode r = tokenOk(server.form("/oauth2/token", q("grant_type", "refresh_token", "client_id", "spa",
                "refresh_token", t.get("refresh_token").asText())));
        assertEquals("openid offline_access", r.get("scope").asText());
    }

    @Test
    void refreshWhenRevokedThenInvalidGrantAndAccessTokensDead() {
        JsonNode t = tokens("rt", "openid");
        HttpResponse<String> rv = server.form("/oauth2/revoke", q("token", t.get("refresh_token").asText(),
                "token_type_hint", "refresh_token"), basic("rt", "s3cret"));
        assertEquals(200, rv.statusCode());
        assertError(refresh("rt", t.get("refresh_token").asText()), "invalid_grant");
        assertFalse(active("rt", t.get("access_token").asText()));
        assertEquals(401, server.get("/oauth2/userinfo", "Authorization", "Bearer " + t.get("access_token").asText()).statusCode());
    }
}
