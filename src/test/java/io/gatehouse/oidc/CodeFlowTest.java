package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.User;
import io.gatehouse.core.token.IdTokens;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** The authorization code flow end to end over real HTTP: authorize, sign in, consent, code, token, userinfo. */
class CodeFlowTest {
    static TestServer server;
    static User alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("webapp", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).scope(Scope.of("api")).postLogoutRedirectUris(List.of("https://app.example/bye")));
        server.addClient("first", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT, "https://app.example/other")).firstParty(true));
        server.addClient("opaque", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).tokenFormat(TokenFormat.OPAQUE));
        server.addClient("es", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).signingAlg(SigningAlg.ES256));
        server.clients.add("spa", Optional.empty(), true, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of("http://127.0.0.1/cb")).firstParty(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String authz(String client, String... extra) {
        return OidcFlow.authz(client, extra);
    }

    @Test
    void codeFlowWhenConsentAllowedThenSeedTokenResponseWithVerifiedIdToken() throws Exception {
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> login = browser.authorize(authz("webapp"));
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("name=\"username\"") && login.body().contains("name=\"password\""));
        HttpResponse<String> consent = browser.follow(browser.login(login, "alice", "correct horse"));
        assertEquals(200, consent.statusCode());
        assertTrue(consent.body().contains("Allow access?"), consent.body());
        assertTrue(consent.body().contains("See your email address"));
        HttpResponse<String> redirect = browser.submit(consent, "/consent", Map.of("decision", "allow"));
        assertEquals(303, redirect.statusCode());  // the consent form answers with the code itself
        assertTrue(redirect.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?code="));
        String code = browser.code(redirect, Optional.of("st-1"));

        // The seed's request: Basic auth at /api/v1/oauth2/token.
        HttpResponse<String> r = server.form("/api/v1/oauth2/token",
                q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT), basic("webapp", "s3cret"));
        JsonNode body = tokenOk(r);
        assertEquals(Set.of("access_token", "token_type", "expires_in", "scope", "id_token"), fieldNames(body));
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asInt());
        assertEquals("openid profile email", body.get("scope").asText());

        JWTClaimsSet id = OidcFlow.verify(server, body.get("id_token").asText(), JOSEObjectType.JWT);
        assertEquals("RS256", TestServer.jwtPart(body.get("id_token").asText(), 0).get("alg").asText());
        assertEquals(server.base, id.getIssuer());
        assertEquals(alice.id(), id.getSubject());
        assertEquals(List.of("webapp"), id.getAudience());
        assertEquals("webapp", id.getStringClaim("azp"));
        assertEquals("n-1", id.getStringClaim("nonce"));
        assertNotNull(id.getClaim("auth_time"));
        assertEquals(3600, (id.getExpirationTime().getTime() - id.getIssueTime().getTime()) / 1000);
        assertEquals(IdTokens.atHash(SigningAlg.RS256, body.get("access_token").asText()), id.getStringClaim("at_hash"));
        assertEquals("urn:gatehouse:acr:password", id.getStringClaim("acr"));
        // OIDC Core §5.4: an access token was issued, so the scope's claims come from userinfo, not in the ID token.
        assertEquals(Set.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "azp", "at_hash"),
                id.getClaims().keySet());

        JWTClaimsSet at = OidcFlow.verify(server, body.get("access_token").asText(), new JOSEObjectType("at+jwt"));
        assertEquals(alice.id(), at.getSubject());
        assertEquals("webapp", at.getStringClaim("client_id"));

        HttpResponse<String> ui = server.get("/oauth2/userinfo", "Authorization", "Bearer " + body.get("access_token").asText());
        assertEquals(200, ui.statusCode(), ui.body());
        JsonNode claims = json(ui);
        assertEquals(alice.id(), claims.get("sub").asText());
        assertEquals("alice@example.com", claims.get("email").asText());
        assertTrue(claims.get("email_verified").asBoolean());
        assertEquals("Name of alice", claims.get("name").asText());
        assertEquals("alice", claims.get("preferred_username").asText());
        assertEquals("en", claims.get("locale").asText());
    }

    @Test
    void authorizeWhenSignedInThenSsoWithoutLoginAndConsentRemembered() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("webapp"), "alice", "correct horse"), Optional.of("st-1"));
        // Same browser, second authorization: no login page, no consent page.
        HttpResponse<String> again = browser.authorize(authz("webapp", "state", "two"));
        assertEquals(302, again.statusCode(), again.body());
        browser.code(again, Optional.of("two"));
        // prompt=none works silently with a session.
        browser.code(browser.authorize(authz("webapp", "prompt", "none")), Optional.of("st-1"));
    }

    @Test
    void authorizeWhenFirstPartyThenNoConsentPage() {
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> r = browser.follow(browser.login(browser.authorize(authz("first")), "alice", "correct horse"));
        assertEquals(303, r.statusCode(), r.body());  // POST /login answers with the code itself
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(OidcFlow.REDIRECT + "?"));
        browser.code(r, Optional.of("st-1"));
    }

    @Test
    void authorizeWhenPromptNoneWithoutSessionThenLoginRequiredRedirect() {
        HttpResponse<String> r = new OidcFlow(server).authorize(authz("first", "prompt", "none"));
        assertEquals(302, r.statusCode());
        Map<String, String> p = OidcFlow.redirectParams(r);
        assertEquals("login_required", p.get("error"));
        assertEquals("st-1", p.get("state"));
        assertEquals(server.base, p.get("iss"));
    }

    @Test
    void authorizeWhenPromptNoneAndNoConsentThenConsentRequired() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("first"), "alice", "correct horse"), Optional.of("st-1"));
        HttpResponse<String> r = browser.authorize(authz("webapp", "prompt", "none", "scope", "openid api"));
        assertEquals("consent_required", OidcFlow.redirectParams(r).get("error"));
    }

    @Test
    void authorizeWhenPromptLoginOrMaxAgeZeroThenLoginPageAgainThenCode() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("first"), "alice", "correct horse"), Optional.of("st-1"));
        String before = browser.cookie;
        for (String[] extra : new String[][]{{"prompt", "login"}, {"max_age", "0"}}) {
            HttpResponse<String> page = browser.authorize(authz("first", extra));
            assertEquals(200, page.statusCode(), extra[0]);
            assertTrue(page.body().contains("name=\"password\""), extra[0]);
            HttpResponse<String> r = browser.follow(browser.login(page, "alice", "correct horse"));
            browser.code(r, Optional.of("st-1"));
        }
        assertNotEquals(before, browser.cookie, "a new session id after each sign-in");
        // the sign-in ended the session the browser came with (replaced in one write): its old cookie is signed out
        browser.cookie = before;
        assertEquals("login_required", OidcFlow.redirectParams(browser.authorize(authz("first", "prompt", "none"))).get("error"));
    }

    @Test
    void authorizeWhenPromptConsentThenConsentPageEvenIfRemembered() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("webapp"), "alice", "correct horse"), Optional.of("st-1"));
        HttpResponse<String> page = browser.authorize(authz("webapp", "prompt", "consent"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("name=\"decision\""));
        browser.code(browser.follow(browser.submit(page, "/consent", Map.of("decision", "allow"))), Optional.of("st-1"));
    }

    @Test
    void consentWhenDeniedThenAccessDeniedRedirectWithStateAndIss() {
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> consent = browser.follow(browser.login(browser.authorize(authz("webapp", "scope", "openid api")),
                "alice", "correct horse"));
        HttpResponse<String> r = browser.submit(consent, "/consent", Map.of("decision", "deny"));
        assertEquals(303, r.statusCode());
        Map<String, String> p = OidcFlow.redirectParams(r);
        assertEquals("access_denied", p.get("error"));
        assertEquals("st-1", p.get("state"));
        assertEquals(server.base, p.get("iss"));
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"));
    }

    @Test
    void tokenWhenPublicClientWithPkceAndLoopbackPortThenTokens() {
        String[] pkce = OidcFlow.pkce();
        String redirect = "http://127.0.0.1:53124/cb";
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> r = browser.authorizeAndApprove(q("response_type", "code", "client_id", "spa", "redirect_uri", redirect,
                "scope", "openid", "code_challenge", pkce[1], "code_challenge_method", "S256"), "alice", "correct horse");
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(redirect + "?code="));
        String code = browser.code(r, Optional.empty());
        JsonNode body = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirect, "client_id", "spa", "code_verifier", pkce[0])));
        assertTrue(body.has("id_token"));
        assertFalse(body.has("refresh_token"));
    }

    @Test
    void tokenWhenClientSecretPostThenTokens() {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz("first"), "alice", "correct horse"), Optional.of("st-1"));
        tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", "first", "client_secret", "s3cret")));
    }

    @Test
    void tokenWhenOpaqueClientThenUserinfoAcceptsOpaqueToken() {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz("opaque"), "alice", "correct horse"), Optional.of("st-1"));
        JsonNode body = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("opaque", "s3cret")));
        String at = body.get("access_token").asText();
        assertTrue(at.matches("[A-Za-z0-9_-]{43}"));
        HttpResponse<String> ui = server.form("/oauth2/userinfo", q("access_token", at));
        assertEquals(200, ui.statusCode(), ui.body());
        assertEquals(alice.id(), json(ui).get("sub").asText());
    }

    @Test
    void tokenWhenClientSigningAlgEs256ThenIdTokenEs256() throws Exception {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz("es"), "alice", "correct horse"), Optional.of("st-1"));
        JsonNode body = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("es", "s3cret")));
        String idt = body.get("id_token").asText();
        assertEquals("ES256", TestServer.jwtPart(idt, 0).get("alg").asText());
        assertEquals(alice.id(), OidcFlow.verify(server, idt, JOSEObjectType.JWT).getSubject());
    }

    @Test
    void tokenWhenScopeWithoutOpenidThenNoIdToken() {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz("webapp", "scope", "api"), "alice", "correct horse"),
                Optional.of("st-1"));
        JsonNode body = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("webapp", "s3cret")));
        assertFalse(body.has("id_token"));
        assertEquals("api", body.get("scope").asText());
        HttpResponse<String> ui = server.get("/oauth2/userinfo", "Authorization", "Bearer " + body.get("access_token").asText());
        assertEquals(403, ui.statusCode());
        assertTrue(ui.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""));
    }

    @Test
    void logoutWhenIdTokenHintAndRegisteredUriThenSessionEndsAndRedirect() {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz("webapp"), "alice", "correct horse"), Optional.of("st-1"));
        String idToken = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("webapp", "s3cret"))).get("id_token").asText();
        HttpResponse<String> noKid = browser.get("/oauth2/logout?" + q("id_token_hint",
                "eyJhbGciOiJSUzI1NiJ9." + idToken.split("\\.")[1] + "." + idToken.split("\\.")[2]));
        assertEquals(400, noKid.statusCode());
        HttpResponse<String> wrong = browser.get("/oauth2/logout?" + q("id_token_hint", idToken,
                "post_logout_redirect_uri", "https://app.example/bye/"));
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Location").isEmpty());
        HttpResponse<String> r = browser.get("/oauth2/logout?" + q("id_token_hint", idToken,
                "post_logout_redirect_uri", "https://app.example/bye", "state", "bye-1"));
        assertEquals(302, r.statusCode(), r.body());
        assertEquals("https://app.example/bye?state=bye-1", r.headers().firstValue("Location").orElseThrow());
        assertTrue(r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("Max-Age=0")));
        assertNull(browser.cookie);
        assertEquals("login_required", OidcFlow.redirectParams(browser.authorize(authz("webapp", "prompt", "none"))).get("error"));
    }

    @Test
    void logoutWhenNoHintThenConfirmationPageThenPostWithCsrfSignsOut() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("first"), "alice", "correct horse"), Optional.of("st-1"));
        HttpResponse<String> page = browser.get("/oauth2/logout");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Sign out?"));
        // Still signed in: a GET alone does not sign out.
        assertEquals(302, browser.authorize(authz("first", "prompt", "none")).statusCode());
        assertNull(OidcFlow.redirectParams(browser.authorize(authz("first", "prompt", "none"))).get("error"));
        HttpResponse<String> noCsrf = browser.postForm("/oauth2/logout", "");
        assertEquals(403, noCsrf.statusCode());
        HttpResponse<String> done = browser.submit(page, "/oauth2/logout", Map.of());
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("You are signed out"));
        assertEquals("login_required", OidcFlow.redirectParams(browser.authorize(authz("first", "prompt", "none"))).get("error"));
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> s = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
