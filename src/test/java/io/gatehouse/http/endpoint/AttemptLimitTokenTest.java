package io.gatehouse.http.endpoint;

import io.gatehouse.config.AbuseConfig;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Failed client authentications over HTTP: 429 with Retry-After in each dialect's own shape once a limit is reached,
 * the right secret refused from the guessing address but served from another, and unknown and existing client ids
 * answered alike. The server trusts 127.0.0.1 as a proxy, so X-Forwarded-For gives each request its address.
 */
class AttemptLimitTokenTest {
    static final int PER_PAIR = 3;
    static final int PER_ACCOUNT = 6;
    static final String SLOW_DOWN = "{\"error\":\"slow_down\",\"error_description\":\"Too many failed attempts; retry later\"}";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withAbuse(AbuseConfig.defaults()
                .withAttempts(new AttemptLimiter.Limits(Duration.ofMinutes(15), PER_PAIR, 1000, PER_ACCOUNT))
                .withTrustedProxies(List.of("127.0.0.1/32"))));
        for (String id : List.of("std", "app", "jcc", "acct", "known", "intro")) {
            server.addClient(id, "right-secret", b -> b.scope(Scope.of("all")));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> standard(String id, String secret, String from) {
        String[] auth = basic(id, secret);
        return server.form("/oauth2/token", "grant_type=client_credentials", auth[0], auth[1], "X-Forwarded-For", from);
    }

    static void assertRetryAfter(HttpResponse<String> r) {
        long s = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After")));
        assertTrue(s >= 1 && s <= 900, "Retry-After " + s + " is within the 15-minute window");
    }

    @Test
    void standardWhenLimitReachedThen429SlowDownAndRightSecretRefusedThereButServedElsewhere() {
        for (int i = 0; i < PER_PAIR; i++) assertEquals(401, standard("std", "guess-" + i, "203.0.113.1").statusCode());
        HttpResponse<String> r = standard("std", "guess-x", "203.0.113.1");
        assertEquals(429, r.statusCode());
        assertEquals(SLOW_DOWN, r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertRetryAfter(r);
        HttpResponse<String> right = standard("std", "right-secret", "203.0.113.1");
        assertEquals(429, right.statusCode(), "the right guess gets the same refusal: no oracle past the limit");
        assertEquals(200, standard("std", "right-secret", "198.51.100.1").statusCode(), "the real client elsewhere is served");
    }

    @Test
    void appKeyWhenLimitReachedThenEnvelopeWithStatusCode429() {
        String wrong = "{\"app_id\":\"app\",\"app_key\":\"nope\"}";
        for (int i = 0; i < PER_PAIR; i++) {
            assertEquals(401, server.post("/oauth/token/get", "application/json", wrong, "X-Forwarded-For", "203.0.113.2").statusCode());
        }
        HttpResponse<String> r = server.post("/oauth/token/get", "application/json", wrong, "X-Forwarded-For", "203.0.113.2");
        assertEquals(429, r.statusCode());
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":429,"
                + "\"errMsg\":\"Too many failed attempts; retry later\"}", r.body());
        assertRetryAfter(r);
    }

    @Test
    void jsonClientCredentialsWhenLimitReachedThenProblemArrayWith240429() {
        String wrong = "{\"grant_type\":\"client_credentials\",\"scope\":\"all\",\"client_id\":\"jcc\",\"client_secret\":\"nope\"}";
        for (int i = 0; i < PER_PAIR; i++) {
            assertEquals(401, server.post("/v1/api/oauth/token", "application/json", wrong, "X-Forwarded-For", "203.0.113.3").statusCode());
        }
        HttpResponse<String> r = server.post("/v1/api/oauth/token", "application/json", wrong, "X-Forwarded-For", "203.0.113.3");
        assertEquals(429, r.statusCode());
        assertEquals("[{\"detail\":\"Please refer to invalid-params for error details\",\"errorCode\":\"240429\","
                + "\"instance\":\"/v1/api/oauth/token\",\"invalid-params\":[\"Too many failed attempts; retry later\"],"
                + "\"source\":\"AGT\",\"status\":429,\"title\":\"Too Many Requests\"}]", r.body());
        assertRetryAfter(r);
    }

    @Test
    void introspectionWhenLimitReachedThenStandard429() {
        String[] auth = basic("intro", "nope");
        for (int i = 0; i < PER_PAIR; i++) {
            assertEquals(401, server.form("/oauth2/introspect", "token=x", auth[0], auth[1], "X-Forwarded-For", "203.0.113.4").statusCode());
        }
        HttpResponse<String> r = server.form("/oauth2/introspect", "token=x", auth[0], auth[1], "X-Forwarded-For", "203.0.113.4");
        assertEquals(429, r.statusCode());
        assertEquals(SLOW_DOWN, r.body());
        assertRetryAfter(r);
    }

    @Test
    void standardWhenFailuresFromManyAddressesThenOnlyThePerAccountLimitStopsTheRealClient() {
        for (int i = 0; i < PER_ACCOUNT - 1; i++) assertEquals(401, standard("acct", "guess", "192.0.2." + (10 + i)).statusCode());
        assertEquals(200, standard("acct", "right-secret", "198.51.100.2").statusCode(), "below the per-account limit");
        assertEquals(401, standard("acct", "guess", "192.0.2.99").statusCode());
        HttpResponse<String> r = standard("acct", "right-secret", "198.51.100.3");
        assertEquals(429, r.statusCode(), "the per-account limit across all addresses applies to a new address");
        assertEquals(200, standard("acct", "right-secret", "198.51.100.2").statusCode(),
                "an address that already proved the secret keeps being served from memory");
    }

    /**
     * The timing class is the work done (one Argon2id check and one counted failure, for both); wall-clock medians are
     * compared only with a generous factor (4), far from the tenfold gap an early answer for unknown ids would show.
     */
    @Test
    void standardWhenUnknownOrExistingIdThenSameAnswersSameLimitSameTimingClass() {
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> knownAnswers = new ArrayList<>();
        List<String> unknownAnswers = new ArrayList<>();
        List<Long> knownMs = new ArrayList<>();
        List<Long> unknownMs = new ArrayList<>();
        for (int i = 0; i <= PER_PAIR; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> k = standard("known", "wrong", "203.0.113.5");
            long t1 = System.nanoTime();
            HttpResponse<String> u = standard(unknown, "wrong", "203.0.113.6");
            long t2 = System.nanoTime();
            knownAnswers.add(k.statusCode() + " " + k.body() + " " + k.headers().firstValue("WWW-Authenticate").orElse(""));
            unknownAnswers.add(u.statusCode() + " " + u.body() + " " + u.headers().firstValue("WWW-Authenticate").orElse(""));
            if (i < PER_PAIR) {
                knownMs.add((t1 - t0) / 1_000_000);
                unknownMs.add((t2 - t1) / 1_000_000);
            }
        }
        assertEquals(knownAnswers, unknownAnswers);
        assertTrue(knownAnswers.getLast().startsWith("429 "), knownAnswers.getLast());
        long k = median(knownMs);
        long u = median(unknownMs);
        assertTrue(Math.max(k, u) <= 4 * Math.max(1, Math.min(k, u)), "median ms known " + knownMs + " unknown " + unknownMs);
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
