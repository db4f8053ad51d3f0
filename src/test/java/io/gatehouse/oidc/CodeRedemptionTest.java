package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.TokenFormat;
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

/** Redeeming codes at the token endpoint: single use, expiry, bindings, PKCE, client authentication. */
class CodeRedemptionTest {
    static final MutableClock clock = new MutableClock();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c, clock);
        OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("webapp", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true));
        server.addClient("opaque", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).tokenFormat(TokenFormat.OPAQUE));
        server.addClient("other", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
        server.addClient("pkce", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).requirePkce(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A browser already signed in, to get codes quickly. */
    static OidcFlow browser() {
        OidcFlow b = new OidcFlow(server);
        b.code(b.authorizeAndApprove(authz("webapp"), "alice", "correct horse"), Optional.of("st-1"));
        return b;
    }

    static String code(OidcFlow b, String client, String... extra) {
        return b.code(b.authorizeAndApprove(authz(client, extra), "alice", "correct horse"), Optional.of("st-1"));
    }

    static HttpResponse<String> redeem(String client, String code, String... extra) {
        String body = q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT)
                + (extra.length == 0 ? "" : "&" + q(extra));
        return server.form("/oauth2/token", body, basic(client, "s3cret"));
    }

    static void assertInvalidGrant(HttpResponse<String> r, String what) {
        assertEquals(400, r.statusCode(), what + ": " + r.body());
        assertEquals("invalid_grant", json(r).get("error").asText(), what);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    }

    static boolean active(String client, String token) {
        HttpResponse<String> r = server.form("/oauth2/introspect", q("token", token), basic(client, "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("active").asBoolean();
    }

    @Test
    void tokenWhenConfiguredForRefreshThenRefreshTokenIssued() {
        JsonNode body = tokenOk(redeem("webapp", code(browser(), "webapp")));
        assertTrue(body.get("refresh_token").asText().matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void tokenWhenCodeReusedThenInvalidGrantAndEveryTokenFromItRevoked() {
        OidcFlow b = browser();
        String code = code(b, "webapp");
        JsonNode first = tokenOk(redeem("webapp", code));
        assertTrue(active("webapp", first.get("access_token").asText()));
        assertTrue(active("webapp", first.get("refresh_token").asText()));
        assertInvalidGrant(redeem("webapp", code), "second redemption");
        assertFalse(active("webapp", first.get("access_token").asText()), "JWT access token revoked");
        assertFalse(active("webapp", first.get("refresh_token").asText()), "refresh token revoked");
        HttpResponse<String> ui = server.get("/oauth2/userinfo", "Authorization", "Bearer " + first.get("access_token").asText());
        assertEquals(401, ui.statusCode());
        HttpResponse<String> refresh = server.form("/oauth2/token", q("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token").asText()), basic("webapp", "s3cret"));
        assertInvalidGrant(refresh, "refresh after code reuse");
    }

    @Test
    void tokenWhenOpaqueCodeReusedThenOpaqueAccessTokenRevoked() {
        String code = code(browser(), "opaque");
        String at = tokenOk(redeem("opaque", code)).get("access_token").asText();
        assertTrue(active("opaque", at));
        assertInvalidGrant(redeem("opaque", code), "reuse");
        assertFalse(active("opaque", at));
    }

    @Test
    void tokenWhenTwentyParallelRedemptionsThenExactlyOneSuccess() throws Exception {
        String code = code(browser(), "webapp");
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return redeem("webapp", code);
                }));
            }
            go.countDown();
            int ok = 0;
            int invalidGrant = 0;
            String refresh = null;
            for (Future<HttpResponse<String>> f : results) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    ok++;
                    refresh = json(r).get("refresh_token").asText();
                } else if (r.statusCode() == 400 && json(r).get("error").asText().equals("invalid_grant")) {
                    invalidGrant++;
                }
            }
            assertEquals(1, ok);
            assertEquals(n - 1, invalidGrant);
            assertFalse(active("webapp", refresh), "the losers' reuse revoked the winner's tokens");
        }
    }

    @Test
    void tokenWhenCodeExpiredThenInvalidGrant() {
        String code = code(browser(), "other");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        try {
            assertInvalidGrant(redeem("other", code), "expired");
        } finally {
            clock.advance(Duration.ofMinutes(-5).minusSeconds(1));
        }
    }

    @Test
    void tokenWhenCodeFourMinutesOldThenStillValid() {
        String code = code(browser(), "other");
        clock.advance(Duration.ofMinutes(4));
        try {
            tokenOk(redeem("other", code));
        } finally {
            clock.advance(Duration.ofMinutes(-4));
        }
    }

    @Test
    void tokenWhenCodeWrongOrForeignOrUnknownThenInvalidGrant() {
        OidcFlow b = browser();
        assertInvalidGrant(redeem("webapp", "not-a-code"), "unknown code");
        assertEquals("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}",
                redeem("webapp", "stRWlW").body());
        String code = code(b, "other");
        assertInvalidGrant(redeem("webapp", code), "code of another client");
        tokenOk(redeem("other", code));  // not burnt by the other client
        assertInvalidGrant(redeem("webapp", "x".repeat(5000)), "huge code");
    }

    @Test
    void tokenWhenRedirectUriDiffersOrMissingThenInvalidGrant() {
        OidcFlow b = browser();
        HttpResponse<String> r = server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code(b, "other"),
                "redirect_uri", REDIRECT + "/x"), basic("other", "s3cret"));
        assertInvalidGrant(r, "different redirect_uri");
        assertTrue(json(r).get("error_description").asText().startsWith("Invalid redirect"));
        r = server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code(b, "other")), basic("other", "s3cret"));
        assertInvalidGrant(r, "redirect_uri sent at authorize, missing at token");
    }

    @Test
    void tokenWhenPkceVerifierWrongMissingOrDowngradedThenInvalidGrant() {
        OidcFlow b = browser();
        String[] pkce = OidcFlow.pkce();
        String[] pkceArgs = {"code_challenge", pkce[1], "code_challenge_method", "S256"};
        assertInvalidGrant(redeem("pkce", code(b, "pkce", pkceArgs), "code_verifier", OidcFlow.pkce()[0]), "wrong verifier");
        assertInvalidGrant(redeem("pkce", code(b, "pkce", pkceArgs)), "missing verifier");
        assertInvalidGrant(redeem("pkce", code(b, "pkce", pkceArgs), "code_verifier", "short"), "malformed verifier");
        // Downgrade: a verifier sent for a code that had no challenge.
        assertInvalidGrant(redeem("other", code(b, "other"), "code_verifier", pkce[0]), "downgrade");
        tokenOk(redeem("pkce", code(b, "pkce", pkceArgs), "code_verifier", pkce[0]));
        // A wrong verifier burns the code.
        String code = code(b, "pkce", pkceArgs);
        assertInvalidGrant(redeem("pkce", code, "code_verifier", OidcFlow.pkce()[0]), "wrong verifier");
        assertInvalidGrant(redeem("pkce", code, "code_verifier", pkce[0]), "after a failed attempt");
    }

    @Test
    void authorizeWhenRequirePkceWithoutChallengeThenInvalidRequest() {
        HttpResponse<String> r = browser().authorize(authz("pkce"));
        assertEquals("invalid_request", OidcFlow.redirectParams(r).get("error"));
    }

    @Test
    void tokenWhenBadClientCredentialsThenInvalidClient401() {
        String code = code(browser(), "other");
        HttpResponse<String> r = server.form("/api/v1/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("other", "wrong"));
        assertEquals(401, r.statusCode());
        assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"Bad client credentials\"}", r.body());
        tokenOk(redeem("other", code));  // a failed client authentication does not burn the code
    }

    @Test
    void tokenWhenCodeParameterMissingThenInvalidRequest() {
        HttpResponse<String> r = server.form("/oauth2/token", q("grant_type", "authorization_code"), basic("other", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request", json(r).get("error").asText());
    }
}
