package io.gatehouse.http.endpoint;

import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * GET /metrics over real HTTP on the management listener: Prometheus text with token, authorize and login meters; 404
 * when switched off; never on the public port.
 */
class MetricsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.addClient("svc", "s3cret", b -> { });
        server.addClient("first", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
        OidcFlow.addUser(server, "alice", "correct horse");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The value of the sample with exactly this name and label set, or -1 when absent. */
    static double sample(String text, String nameAndLabels) {
        for (String line : text.split("\n")) {
            if (line.startsWith(nameAndLabels + " ")) return Double.parseDouble(line.substring(nameAndLabels.length() + 1));
        }
        return -1;
    }

    static String scrape() {
        HttpResponse<String> r = server.management("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    static String token(String path, String dialect, String grant, String outcome) {
        return "{dialect=\"" + dialect + "\",grant_type=\"" + grant + "\",outcome=\"" + outcome + "\",path=\"" + path + "\"}";
    }

    @Test
    void metricsAfterTokenRequestsThenCountersAndTimersTaggedByMountDialectGrantAndOutcome() {
        String ok = token("/oauth2/token", "standard", "client_credentials", "ok");
        String bad = token("/oauth2/token", "standard", "client_credentials", "invalid_client");
        String unsupported = token("/api/v1/oauth2/token", "standard", "unknown", "unsupported_grant_type");
        String before = scrape();
        double okBefore = Math.max(0, sample(before, "gatehouse_token_requests_total" + ok));
        double badBefore = Math.max(0, sample(before, "gatehouse_token_requests_total" + bad));
        double unsupportedBefore = Math.max(0, sample(before, "gatehouse_token_requests_total" + unsupported));

        assertEquals(200, server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret")).statusCode());
        assertEquals(401, server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "wrong")).statusCode());
        assertEquals(400, server.form("/api/v1/oauth2/token", "grant_type=password", basic("svc", "s3cret")).statusCode());

        String after = scrape();
        assertEquals(okBefore + 1, sample(after, "gatehouse_token_requests_total" + ok), after);
        assertEquals(badBefore + 1, sample(after, "gatehouse_token_requests_total" + bad));
        assertEquals(unsupportedBefore + 1, sample(after, "gatehouse_token_requests_total" + unsupported));
        assertEquals(okBefore + 1, sample(after, "gatehouse_token_request_duration_seconds_count" + ok));
        assertTrue(sample(after, "gatehouse_token_request_duration_seconds_sum" + ok) > 0);
        assertEquals(0, sample(after, "gatehouse_token_requests_total"
                + token("/oauth/token/get", "app-key", "client_credentials", "ok")), "ok meters exist from the start");
        assertFalse(after.contains("svc"), "no client id in any tag");
        assertTrue(after.contains("jvm_memory_used_bytes{area=\"heap\""), "JVM memory meters");
        assertTrue(after.contains("jvm_threads_live_threads "));
    }

    @Test
    void metricsAfterSignInsThenAuthorizeAndLoginOutcomes() {
        String before = scrape();
        double loginPage = Math.max(0, sample(before, "gatehouse_authorize_requests_total{outcome=\"login\"}"));
        double code = Math.max(0, sample(before, "gatehouse_authorize_requests_total{outcome=\"code\"}"));
        double errorPage = Math.max(0, sample(before, "gatehouse_authorize_requests_total{outcome=\"error_page\"}"));
        double success = Math.max(0, sample(before, "gatehouse_logins_total{outcome=\"success\"}"));
        double failure = Math.max(0, sample(before, "gatehouse_logins_total{outcome=\"failure\"}"));
        double throttled = Math.max(0, sample(before, "gatehouse_logins_total{outcome=\"throttled\"}"));

        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> page = browser.authorize(OidcFlow.authz("first"));
        assertEquals(200, page.statusCode());
        int limit = io.gatehouse.core.AttemptLimiter.Limits.DEFAULT_PER_ACCOUNT_SOURCE;
        for (int i = 0; i < limit; i++) assertEquals(200, browser.login(page, "mallory", "guess-" + i).statusCode());
        assertEquals(429, browser.login(page, "mallory", "guess-" + limit).statusCode());
        HttpResponse<String> redirect = browser.follow(browser.login(page, "alice", "correct horse"));
        assertEquals(303, redirect.statusCode());  // the sign-in answers with the code: counted as outcome code
        assertEquals(400, browser.authorize(OidcFlow.authz("no-such-client")).statusCode());

        String after = scrape();
        assertEquals(loginPage + 1, sample(after, "gatehouse_authorize_requests_total{outcome=\"login\"}"), after);
        assertEquals(code + 1, sample(after, "gatehouse_authorize_requests_total{outcome=\"code\"}"));
        assertEquals(errorPage + 1, sample(after, "gatehouse_authorize_requests_total{outcome=\"error_page\"}"));
        assertEquals(success + 1, sample(after, "gatehouse_logins_total{outcome=\"success\"}"));
        assertEquals(failure + limit, sample(after, "gatehouse_logins_total{outcome=\"failure\"}"), "failures up to the limit");
        assertEquals(throttled + 1, sample(after, "gatehouse_logins_total{outcome=\"throttled\"}"), "the next one was refused");
        assertFalse(after.contains("mallory") || after.contains("alice"), "no username in any tag");
    }

    @Test
    void metricsWhenSwitchedOffThen404AndTokensStillWork() {
        try (TestServer off = TestServer.start(c -> c.withMetrics(false))) {
            off.addClient("svc", "s3cret", b -> { });
            assertEquals(404, off.management("/metrics").statusCode());
            assertEquals(200, off.management("/health/live").statusCode(), "the management listener runs without metrics");
            assertEquals(200, off.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret")).statusCode());
        }
    }

    @Test
    void metricsThenConnectionsAndConnectionEventsPerListener() {
        String m = scrape();
        assertTrue(sample(m, "gatehouse_http_connections{listener=\"public\"}") >= 0, m);
        assertTrue(sample(m, "gatehouse_http_connections{listener=\"management\"}") >= 1, "this scrape's own connection");
        for (String event : List.of("header_timeout", "body_timeout", "aborted_head", "aborted_body", "buffer_wait", "busy")) {
            assertTrue(sample(m, "gatehouse_http_connection_events_total{event=\"" + event + "\",listener=\"public\"}") >= 0,
                    event + "\n" + m);
        }
    }

    @Test
    void metricsWhenAskedOnThePublicPortThen404() {
        assertEquals(404, server.get("/metrics").statusCode());
        assertEquals(200, server.management("/metrics").statusCode());
    }

    @Test
    void metricsThenSigningKeysByStateAndAgeOfTheActiveKeyPerAlgorithm() {
        String m = scrape();
        assertEquals(4.0, sample(m, "gatehouse_signing_keys{state=\"active\"}"), m);
        assertEquals(0.0, sample(m, "gatehouse_signing_keys{state=\"next\"}"));
        assertEquals(0.0, sample(m, "gatehouse_signing_keys{state=\"retired\"}"));
        for (String alg : List.of("RS256", "ES256", "PS256", "EdDSA")) {
            assertTrue(sample(m, "gatehouse_signing_key_active_age_seconds{alg=\"" + alg + "\"}") >= 0, alg + "\n" + m);
        }
    }
}
