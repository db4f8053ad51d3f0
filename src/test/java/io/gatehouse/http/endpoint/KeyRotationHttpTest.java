package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.Main;
import io.gatehouse.config.KeyConfig;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.token.keys.KeyPolicy;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Key rotation as clients and resource servers see it, over HTTP, with the server's clock under the test's control
 * and a JWKS max-age of 2 s (so nodes refresh every second): the next key is published at once, signs only after it
 * was published for max-age plus a refresh interval, and the retired key stays in the JWKS until every token it
 * signed has expired.
 */
class KeyRotationHttpTest {
    static final Duration MAX_AGE = Duration.ofSeconds(2);
    final KeyPolicy policy = KeyPolicy.of(MAX_AGE, Duration.ZERO);
    Fakes.MutableClock clock;
    TestServer server;
    final List<String> issued = new ArrayList<>();

    @BeforeEach
    void start() {
        clock = new Fakes.MutableClock(Instant.now());
        server = TestServer.start(c -> c.withKeys(new KeyConfig(MAX_AGE, Duration.ZERO)), clock);
        server.addClient("svc", "s3cret", b -> b.scope(Scope.of("api")).accessTokenTtl(Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String token() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        String t = json(r).get("access_token").asText();
        issued.add(t);
        assertJwksHoldsEveryUnexpiredToken();
        return t;
    }

    static String kid(String jwt) throws Exception {
        return JWSObject.parse(jwt).getHeader().getKeyID();
    }

    Set<String> jwksKids() throws Exception {
        HttpResponse<String> r = server.get("/jwks");
        assertEquals("public, max-age=2", r.headers().firstValue("Cache-Control").orElse(""));
        return JWKSet.parse(r.body()).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    /** JWKS never lacks the key of a token that is still valid, and every such token verifies against it. */
    void assertJwksHoldsEveryUnexpiredToken() {
        try {
            JWKSet set = JWKSet.parse(server.get("/jwks").body());
            for (String t : issued) {
                JWSObject jws = JWSObject.parse(t);
                long exp = ((Number) jws.getPayload().toJSONObject().get("exp")).longValue();
                if (exp <= clock.instant().getEpochSecond()) continue;
                JWK key = set.getKeyByKeyId(jws.getHeader().getKeyID());
                assertNotNull(key, "JWKS lacks the key of a valid token: " + jws.getHeader().getKeyID());
                assertTrue(jws.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAKey())));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", server.dataDir().toString()));
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(all.toArray(String[]::new));
    }

    /** Waits (real time) for the server's key refresh, which runs every second here. */
    void awaitRefresh(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never happened: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void rotationPublishesBeforeUseKeepsOldTokensValidAndRemovesTheOldKeyOnlyAfterTheyExpired() throws Exception {
        String before = token();
        String oldKid = kid(before);
        assertTrue(jwksKids().contains(oldKid));

        assertEquals(0, cli("keys", "rotate", "--alg", "RS256"));
        awaitRefresh(() -> {
            try {
                return jwksKids().size() > Set.of(oldKid).size() + 3;  // the next RS256 key joins the four active ones
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the next key is published");
        Set<String> published = jwksKids();
        for (int i = 0; i < 5; i++) assertEquals(oldKid, kid(token()), "a next key does not sign before its time");

        // (the CLI stamps the key with the real time: move the server's clock from there)
        clock.set(Instant.now().plus(policy.publishDelay()).plusSeconds(1));
        awaitRefresh(() -> {
            try {
                return !kid(token()).equals(oldKid);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the next key signs once published for max-age plus a refresh");
        String newKid = kid(token());
        assertTrue(published.contains(newKid), "it was published before it signed");
        assertTrue(jwksKids().contains(oldKid), "the retired key is still published");
        JsonNode introspected = json(server.form("/oauth2/introspect", "token=" + before, basic("svc", "s3cret")));
        assertTrue(introspected.get("active").asBoolean(), "a token signed before the rotation is still valid");

        // The retired key's tokens live 10 minutes, its retention is longer (the longest token lifetime of any client,
        // here the 1 h default, plus one refresh and the skew): it stays until then, and goes by itself afterwards.
        clock.advance(Duration.ofMinutes(30));
        Thread.sleep(1500);
        assertTrue(jwksKids().contains(oldKid));
        clock.advance(Duration.ofHours(1).plusMinutes(5));
        awaitRefresh(() -> {
            try {
                return !jwksKids().contains(oldKid);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the retired key is removed once nothing it signed can be valid");
        assertJwksHoldsEveryUnexpiredToken();
        assertEquals(newKid, kid(token()));
    }

    @Test
    void keysCommandsWhenBadInputThenExit2AndNothingChanged() throws Exception {
        String activeKid = kid(token());
        Set<String> before = jwksKids();
        assertEquals(2, cli("keys", "rotate", "--alg", "HS256"), "unknown algorithm");
        assertEquals(2, cli("keys", "retire", activeKid), "the only active key");
        assertEquals(2, cli("keys", "remove", activeKid), "an active key");
        assertEquals(2, cli("keys", "remove", "no-such-kid"));
        assertEquals(2, cli("keys", "retire", "no-such-kid"));
        Thread.sleep(1500);
        assertEquals(before, jwksKids());
        assertEquals(activeKid, kid(token()));

        assertEquals(0, cli("keys", "retire", activeKid, "--force"), "a compromised key: replaced at once");
        awaitRefresh(() -> {
            try {
                return !kid(token()).equals(activeKid);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the forced successor signs");
        assertEquals(2, cli("keys", "remove", activeKid), "tokens it signed may still be valid");
        assertTrue(jwksKids().contains(activeKid));
        assertEquals(0, cli("keys", "remove", activeKid, "--force"));
        awaitRefresh(() -> {
            try {
                return !jwksKids().contains(activeKid);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a removed key leaves the JWKS");
    }

    @Test
    void keysListShowsEveryKeyWithItsStateAndTimes() {
        CommandLine cl = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(stdout, true));
        try {
            assertEquals(0, cl.execute("keys", "list", "--data", server.dataDir().toString()));
        } finally {
            System.setOut(old);
        }
        String[] lines = stdout.toString().split("\n");
        assertEquals("KID\tALG\tSTATE\tCREATED\tACTIVATED\tRETIRED\tREMOVE-AFTER\tKEK-ID", lines[0]);
        assertEquals(5, lines.length, "four active keys, one per algorithm");
        for (int i = 1; i < lines.length; i++) assertEquals("active", lines[i].split("\t")[2], lines[i]);
    }
}
