package io.gatehouse.oidc;

import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static org.junit.jupiter.api.Assertions.*;

/** Bad authorization requests: error pages that never redirect, or error redirects to the registered URI. */
class AuthorizeErrorsTest {
    static TestServer server;
    static final String NASTY = "<>\"'&";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("webapp", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT, "https://app.example/cb?tenant=1")).scope(Scope.of("api")).firstParty(true));
        server.clients.add("spa", Optional.empty(), true, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of("http://127.0.0.1/cb")).firstParty(true));
        server.addClient("cc", "s3cret", b -> b.grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS)).redirectUris(List.of(REDIRECT)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertErrorPage(HttpResponse<String> r, int status, String what) {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), what + " must not redirect");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), what);
        assertSecurityHeaders(r);
    }

    static void assertSecurityHeaders(HttpResponse<String> r) {
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    }

    static Map<String, String> errorRedirect(HttpResponse<String> r, String error) {
        assertEquals(302, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"));
        Map<String, String> p = OidcFlow.redirectParams(r);
        assertEquals(error, p.get("error"), p.toString());
        assertNotNull(p.get("error_description"));
        assertEquals(server.base, p.get("iss"));
        return p;
    }

    @Test
    void authorizeWhenClientUnknownOrMissingThenErrorPageNeverRedirect() {
        assertErrorPage(server.get("/oauth2/authorize?" + authz("ghost")), 400, "unknown client");
        assertErrorPage(server.get("/oauth2/authorize?" + authz(null)), 400, "no client_id");
        assertErrorPage(server.get("/oauth2/authorize?" + authz("webapp") + "&client_id=webapp"), 400, "repeated client_id");
        assertErrorPage(server.get("/oauth2/authorize?" + authz("webapp") + "&redirect_uri=" + REDIRECT), 400, "repeated redirect_uri");
        assertErrorPage(server.get("/oauth2/authorize?" + authz("webapp", "redirect_uri", null)), 400, "several registered, none sent");
        assertErrorPage(server.get("/oauth2/authorize?" + authz("webapp") + "&x=%C3%28"), 400, "not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example/cb/", "https://app.example/cb?x=1", "https://app.example/cb/../cb",
            "https://app.example/%2e%2e/cb", "https://app.example/%63b", "https://app.example/CB", "HTTPS://app.example/cb",
            "https://APP.example/cb", "https://evil@app.example/cb", "https://app.example@evil.example/cb",
            "https://app.example.evil.example/cb", "https://app.example:443/cb", "http://app.example/cb",
            "https://app.example/cb#x", "javascript:alert(1)", "https://app.example/cb?tenant=1&x=2", "https://app.example",
            " https://app.example/cb", "//app.example/cb", "https://app.example/cb%00"})
    void authorizeWhenRedirectUriTrickThenErrorPage(String uri) {
        assertErrorPage(server.get("/oauth2/authorize?" + authz("webapp", "redirect_uri", uri)), 400, uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/cb", "http://127.0.0.2/cb", "http://[::1]/cb", "http://127.0.0.1/cb/",
            "http://127.0.0.1:99999/cb", "http://127.0.0.1:8080/cb?x=1", "https://127.0.0.1/cb", "http://127.0.0.1:80:81/cb",
            "http://127.0.0.1.evil.example/cb", "http://127.0.0.1@evil.example/cb"})
    void authorizeWhenLoopbackTrickThenErrorPage(String uri) {
        String[] pkce = OidcFlow.pkce();
        assertErrorPage(server.get("/oauth2/authorize?" + authz("spa", "redirect_uri", uri, "code_challenge", pkce[1],
                "code_challenge_method", "S256")), 400, uri);
    }

    @Test
    void authorizeWhenRegisteredUriHasQueryThenKeptAndParamsAppended() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> r = b.authorizeAndApprove(authz("webapp", "redirect_uri", "https://app.example/cb?tenant=1"),
                "alice", "correct horse");
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith("https://app.example/cb?tenant=1&code="));
    }

    @Test
    void authorizeWhenBadParametersThenErrorRedirectWithStateAndIss() {
        String[][] cases = {
                {"unsupported_response_type", "response_type", "token"},
                {"unsupported_response_type", "response_type", "code id_token"},
                {"invalid_request", "response_type", null},
                {"invalid_scope", "scope", "openid admin"},
                {"invalid_scope", "scope", "openid  profile"},
                {"invalid_request", "code_challenge_method", "plain"},
                {"invalid_request", "code_challenge", "short"},
                {"invalid_request", "prompt", "bogus"},
                {"invalid_request", "prompt", "none login"},
                {"invalid_request", "max_age", "-1"},
                {"invalid_request", "max_age", "soon"},
                {"invalid_request_object", "request", "eyJhbGciOiJub25lIn0.e30."},
                {"request_uri_not_supported", "request_uri", "https://evil.example/r"},
                {"invalid_request", "response_mode", "fragment"},
                {"invalid_request", "nonce", "n".repeat(513)},
        };
        for (String[] c : cases) {
            String query = c[1].equals("code_challenge_method")
                    ? authz("webapp", "code_challenge", OidcFlow.pkce()[1], c[1], c[2]) : authz("webapp", c[1], c[2]);
            Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + query), c[0]);
            assertEquals("st-1", p.get("state"), c[1]);
        }
        errorRedirect(server.get("/oauth2/authorize?" + authz("webapp") + "&scope=openid"), "invalid_request");
        errorRedirect(server.get("/oauth2/authorize?" + authz("cc")), "unauthorized_client");
    }

    @Test
    void authorizeWhenPublicClientWithoutPkceThenInvalidRequest() {
        HttpResponse<String> r = server.get("/oauth2/authorize?" + authz("spa", "redirect_uri", "http://127.0.0.1/cb"));
        assertEquals(302, r.statusCode());
        assertEquals("invalid_request", OidcFlow.redirectParams(r).get("error"));
        assertTrue(OidcFlow.redirectParams(r).get("error_description").contains("PKCE"));
    }

    @Test
    void authorizeWhen2kStateWithHtmlCharsThenEchoedByteExactAndEscapedInPages() {
        String state = (NASTY + "state-\u00e9\u4e2d ").repeat(200).substring(0, 2048);
        // Error redirect: byte-exact.
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + authz("webapp", "state", state, "response_type", "token")),
                "unsupported_response_type");
        assertEquals(state, p.get("state"));
        // Login page: escaped, never raw; the success redirect carries it byte-exact.
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> page = b.authorize(authz("webapp", "state", state, "login_hint", "<script>alert(1)</script>\"'&"));
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("<script>"), "reflected values are escaped");
        assertTrue(page.body().contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\""));
        HttpResponse<String> r = b.follow(b.login(page, "alice", "correct horse"));
        assertEquals(state, b.code(r, Optional.of(state)).isEmpty() ? null : OidcFlow.redirectParams(r).get("state"));
    }

    @Test
    void authorizeWhenStateTooLongThenErrorWithoutState() {
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + authz("webapp", "state", "s".repeat(5000))),
                "invalid_request");
        assertNull(p.get("state"));
    }

    @Test
    void authorizeWhenHugeOrManyParametersThenClearErrorNever500() {
        HttpResponse<String> big = server.get("/oauth2/authorize?" + authz("webapp") + "&x=" + "a".repeat(20_000));
        assertErrorPage(big, 414, "20 KB query");
        HttpResponse<String> huge = server.get("/oauth2/authorize?" + authz("webapp") + "&x=" + "a".repeat(40_000));
        assertTrue(huge.statusCode() >= 400 && huge.statusCode() < 500, "40 KB query: " + huge.statusCode());
        StringBuilder many = new StringBuilder(authz("webapp"));
        for (int i = 0; i < 150; i++) many.append("&p").append(i).append("=1");
        assertErrorPage(server.get("/oauth2/authorize?" + many), 400, "150 parameters");
        HttpResponse<String> rep = server.get("/oauth2/authorize?" + authz("webapp") + "&nonce=a&nonce=b");
        assertEquals("invalid_request", OidcFlow.redirectParams(rep).get("error"));
        // Parameters the server does not read may repeat (an RP's own extras): the sign-in page is shown.
        assertEquals(200, server.get("/oauth2/authorize?" + authz("webapp") + "&ui_locales=en&ui_locales=fr&x=1&x=2").statusCode());
    }

    @Test
    void loginPageHasSecurityHeadersAndCookieAttributes() {
        HttpResponse<String> page = new OidcFlow(server).authorize(authz("webapp"));
        assertEquals(200, page.statusCode());
        assertSecurityHeaders(page);
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertFalse(csp.contains("unsafe-inline"));
        assertTrue(csp.contains("default-src 'none'"));
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), cookie);
        assertFalse(cookie.contains("Secure"), "http issuer: no Secure flag");
        assertTrue(page.body().contains("<form method=\"post\" action=\"/login\">"));
        assertTrue(page.body().contains("name=\"csrf\""));
    }

    @Test
    void loginCookieIsSecureWhenIssuerIsHttps() {
        try (TestServer https = TestServer.start(c -> c.withIssuer("https://login.example"))) {
            https.addClient("w", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).redirectUris(List.of(REDIRECT)));
            HttpResponse<String> r = https.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + https.gatehouse.port() + "/oauth2/authorize?" + authz("w"))).GET());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"));
        }
    }

    @Test
    void loginWhenCsrfMissingOrWrongOrNoCookieThen403Page() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> page = b.authorize(authz("webapp"));
        Map<String, String> hidden = OidcFlow.hidden(page.body());
        String q = hidden.get("q");
        assertErrorPage(b.postForm("/login", q("q", q, "username", "alice", "password", "correct horse")), 403, "no csrf");
        assertErrorPage(b.postForm("/login", q("q", q, "csrf", "x" + hidden.get("csrf"), "username", "alice",
                "password", "correct horse")), 403, "wrong csrf");
        OidcFlow other = new OidcFlow(server);
        assertErrorPage(other.postForm("/login", q("q", q, "csrf", hidden.get("csrf"), "username", "alice",
                "password", "correct horse")), 403, "no cookie");
        assertErrorPage(b.postForm("/consent", q("q", q, "decision", "allow")), 403, "consent without csrf");
    }

    @Test
    void loginWhenSuccessThen303ToTheClientWithCodeAndNewSessionId() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> page = b.authorize(authz("webapp"));
        String anonymous = b.cookie;
        HttpResponse<String> r = b.login(page, "alice", "correct horse");
        assertEquals(303, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?code="), r.headers().toString());
        b.code(r, Optional.of("st-1"));
        assertNotNull(b.cookie);
        assertNotEquals(anonymous, b.cookie);
        // the session works on its own: the same request again gets a code without a page
        assertEquals(302, b.authorize(authz("webapp")).statusCode());
    }

    @Test
    void loginWhenConsentStillNeededThen303BackToAuthorize() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> r = b.login(b.authorize(authz("webapp", "prompt", "login consent")), "alice", "correct horse");
        assertEquals(303, r.statusCode());
        String loc = r.headers().firstValue("Location").orElseThrow();
        assertTrue(loc.startsWith("/oauth2/authorize?"), loc);
        assertEquals("consent", OidcFlow.params(loc).get("prompt"), "prompt=login is satisfied, consent is not");
        assertTrue(b.follow(r).body().contains("name=\"decision\""), "the consent page");
    }

    @Test
    void loginWhenUnknownUserOrWrongPasswordThenSameMessage() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> page = b.authorize(authz("webapp"));
        HttpResponse<String> wrong = b.login(page, "alice", "wrong password");
        HttpResponse<String> unknown = b.login(page, "mallory", "wrong password");
        assertEquals(200, wrong.statusCode());
        assertEquals(200, unknown.statusCode());
        assertTrue(wrong.body().contains("Incorrect username or password."));
        assertEquals(wrong.body().replace("value=\"alice\"", "value=\"mallory\""), unknown.body());
    }

    @Test
    void loginWhenMegabytePasswordThenClearErrorPage() {
        OidcFlow b = new OidcFlow(server);
        HttpResponse<String> page = b.authorize(authz("webapp"));
        HttpResponse<String> r = b.login(page, "alice", "p".repeat(1024 * 1024));
        assertErrorPage(r, 413, "1 MB password");
        // Long but under the body limit: refused like a wrong password.
        HttpResponse<String> longPw = b.login(page, "alice", "p".repeat(30_000));
        assertEquals(200, longPw.statusCode());
        assertTrue(longPw.body().contains("Incorrect username or password."));
    }

    @Test
    void authorizeViaPostFormThenSameAsGet() {
        HttpResponse<String> r = server.form("/oauth2/authorize", authz("webapp", "response_type", "token"));
        assertEquals("unsupported_response_type", OidcFlow.redirectParams(r).get("error"));
        assertEquals(200, server.form("/oauth2/authorize", authz("webapp")).statusCode());
    }
}
