package io.gatehouse.admin.console;

import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The console over HTTP: the sign-in redirect, who gets in, CSRF, headers, and that every page renders. */
class ConsoleTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = ConsoleFixture.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void consoleWhenNoSessionThenRedirectToAuthorizeWithPkceStateNonceAndMaxAge() throws Exception {
        HttpResponse<String> r = new ConsoleFixture.Browser(server).get("/admin");
        assertEquals(303, r.statusCode());
        String loc = r.headers().firstValue("Location").orElseThrow();
        assertTrue(loc.startsWith(server.base + "/oauth2/authorize?"), loc);
        Map<String, String> p = OidcFlow.params(loc);
        assertEquals("gatehouse-console", p.get("client_id"));
        assertEquals(server.base + "/admin/callback", p.get("redirect_uri"));
        assertEquals("openid gatehouse:admin", p.get("scope"));
        assertEquals("S256", p.get("code_challenge_method"));
        assertEquals("43200", p.get("max_age"));
        assertTrue(p.get("state").length() >= 40 && p.get("nonce").length() >= 40 && p.get("code_challenge").length() == 43);
        String flow = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(flow.startsWith("gh_console_flow=" + p.get("state") + ";") && flow.contains("HttpOnly"), flow);
    }

    @Test
    void adminSignsInThenDashboardWithSessionCookieAndStrictCsp() throws Exception {
        var b = new ConsoleFixture.Browser(server);
        HttpResponse<String> login = b.follow(b.get("/admin"));
        var form = new java.util.LinkedHashMap<>(OidcFlow.hidden(login.body()));
        form.put("username", "ops");
        form.put("password", ConsoleFixture.PASSWORD);
        HttpResponse<String> r = b.post("/login", form);
        for (int i = 0; i < 5 && !r.uri().getPath().equals("/admin/callback"); i++) r = b.get(r.headers().firstValue("Location").orElseThrow());
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/admin", r.headers().firstValue("Location").orElseThrow());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gh_console=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("; Path=/admin") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        HttpResponse<String> dash = b.get("/admin");
        assertEquals(200, dash.statusCode());
        assertTrue(dash.body().contains("<svg class=\"chart\""));
        assertTrue(dash.body().contains("Sign out ops"));
        String csp = dash.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && csp.contains("style-src 'self'")
                && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"), csp);
        assertEquals("no-store", dash.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("DENY", dash.headers().firstValue("X-Frame-Options").orElseThrow());
        assertFalse(dash.body().contains("style=\""), "no inline styles");
        assertEquals(200, b.get("/admin/static/console.css").statusCode());
        assertEquals(200, b.get("/admin/static/console.js").statusCode());
    }

    @Test
    void nonAdminWhenSigningInThen403() throws Exception {
        HttpResponse<String> r = new ConsoleFixture.Browser(server).signIn("bob", ConsoleFixture.PASSWORD);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("Not an administrator"));
    }

    @Test
    void callbackWhenStateNotBoundToBrowserThen400() throws Exception {
        HttpResponse<String> r = new ConsoleFixture.Browser(server).get("/admin/callback?code=x&state=y");
        assertEquals(400, r.statusCode());
    }

    @Test
    void postWithoutCsrfThen403AndNothingChanged() throws Exception {
        var b = new ConsoleFixture.Browser(server);
        assertEquals(200, b.signIn("ops", ConsoleFixture.PASSWORD).statusCode());
        HttpResponse<String> r = b.post("/admin/clients", Map.of("client_id", "no-csrf", "grant", "client_credentials"));
        assertEquals(403, r.statusCode());
        r = b.post("/admin/clients", Map.of("client_id", "no-csrf", "grant", "client_credentials", "csrf", "wrong"));
        assertEquals(403, r.statusCode());
        assertFalse(b.get("/admin/clients").body().contains("no-csrf"));
        // without a session at all: refused too
        assertEquals(403, new ConsoleFixture.Browser(server).post("/admin/keys/rotate", Map.of("csrf", "x")).statusCode());
    }

    @Test
    void everyPageRendersAndChangesAreAuditedAsTheConsoleUser() throws Exception {
        var b = new ConsoleFixture.Browser(server);
        assertEquals(200, b.signIn("ops", ConsoleFixture.PASSWORD).statusCode());
        String csrf = OidcFlow.hidden(b.get("/admin/clients").body()).get("csrf");
        HttpResponse<String> created = b.post("/admin/clients", Map.of("client_id", "http-made", "grant", "client_credentials",
                "scope", "read", "csrf", csrf));
        assertEquals(303, created.statusCode());
        HttpResponse<String> shown = b.get("/admin/clients");
        assertTrue(shown.body().contains("id=\"secret-value\""));
        assertFalse(b.get("/admin/clients").body().contains("id=\"secret-value\""), "the secret is shown once");
        for (String page : new String[]{"/admin", "/admin/clients", "/admin/users", "/admin/keys", "/admin/audit",
                "/admin/audit?type=client.changed", "/admin/clients/http-made/delete", "/admin/users/bob/revoke-sessions",
                "/admin/keys/rotate"}) {
            b.get(page);
            long t0 = System.nanoTime();
            HttpResponse<String> r = b.get(page);
            long micros = (System.nanoTime() - t0) / 1000;
            assertEquals(200, r.statusCode(), page);
            System.out.printf("console page %-40s %6d µs (round trip, warm)%n", page, micros);
        }
        String audit = b.get("/admin/audit?type=client.changed").body();
        assertTrue(audit.contains("console (user ops)") && audit.contains("http-made"), audit);
        assertEquals(404, b.get("/admin/clients/nope/delete").statusCode());
    }
}
