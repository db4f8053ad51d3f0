package io.gatehouse.oidc;

import io.gatehouse.config.AbuseConfig;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Sign-in failures are limited, not slowed: after the limit for (username, address) the sign-in page answers 429 with
 * Retry-After and a message, before checking anything, even for the right password; guessing in parallel gets no
 * more checks than guessing one after the other; the real user at another address signs in. 127.0.0.1 is a trusted
 * proxy, so each browser's X-Forwarded-For is its address.
 */
class LoginThrottleTest {
    static final int LIMIT = 5;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withAbuse(AbuseConfig.defaults()
                .withAttempts(new AttemptLimiter.Limits(Duration.ofMinutes(15), LIMIT, 1000, 1000))
                .withTrustedProxies(List.of("127.0.0.1/32"))));
        for (String u : List.of("bob", "carol", "dave")) OidcFlow.addUser(server, u, u + "s password");
        server.addClient("first", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static OidcFlow browser(String address) {
        OidcFlow b = new OidcFlow(server);
        b.headers.put("X-Forwarded-For", address);
        return b;
    }

    @Test
    void loginWhenLimitReachedThen429PageWithRetryAfterEvenForTheRightPasswordAndRealUserElsewhereSignsIn() {
        OidcFlow attacker = browser("203.0.113.10");
        HttpResponse<String> page = attacker.authorize(authz("first"));
        for (int i = 0; i < LIMIT; i++) {
            HttpResponse<String> r = attacker.login(page, "bob", "guess " + i);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("Incorrect username or password."));
        }
        HttpResponse<String> r = attacker.login(page, "bob", "bobs password");
        assertEquals(429, r.statusCode(), "the right password is not checked past the limit");
        assertTrue(r.body().contains("Too many failed sign-in attempts. Try again in 15 minutes."), r.body());
        assertTrue(r.body().contains("name=\"password\""), "the form is shown again");
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 0 && retry <= 900, "Retry-After " + retry);
        assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));

        OidcFlow bob = browser("198.51.100.10");
        HttpResponse<String> ok = bob.follow(bob.login(bob.authorize(authz("first")), "bob", "bobs password"));
        bob.code(ok, Optional.of("st-1"));
    }

    @Test
    void loginWhenGuessingInParallelThenNoMoreChecksThanSerialAndTheRightGuessRefused() throws Exception {
        OidcFlow attacker = browser("203.0.113.20");
        HttpResponse<String> page = attacker.authorize(authz("first"));
        int parallel = 30;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return attacker.submit(page, "/login", Map.of("username", "carol", "password", "guess " + n));
                }));
            }
            go.countDown();
            int checked = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().contains("Incorrect username or password.")) checked++;
                else if (r.statusCode() == 429 || r.statusCode() == 503) refused++;
                else fail("unexpected answer " + r.statusCode() + " " + r.body());
            }
            assertTrue(checked <= LIMIT, checked + " guesses checked in parallel; serial guessing gets " + LIMIT);
            assertEquals(parallel, checked + refused);
        }
        assertEquals(429, attacker.login(page, "carol", "carols password").statusCode());
    }

    @Test
    void loginWhenUnknownUsernamesThenLimitedAlikeAndNeverEchoed() {
        OidcFlow attacker = browser("203.0.113.30");
        HttpResponse<String> page = attacker.authorize(authz("first"));
        String huge = "x".repeat(20_000);
        for (int i = 0; i < LIMIT; i++) assertEquals(200, attacker.login(page, huge, "guess").statusCode());
        HttpResponse<String> r = attacker.login(page, huge, "guess");
        assertEquals(429, r.statusCode());
        assertFalse(r.body().contains(huge.substring(0, 200)), "an invalid username is not echoed");
        OidcFlow dave = browser("203.0.113.30");
        HttpResponse<String> ok = dave.follow(dave.login(dave.authorize(authz("first")), "dave", "daves password"));
        dave.code(ok, Optional.of("st-1"));
    }
}
