package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.store.jdbc.JdbcTokenStore;
import io.gatehouse.testing.TestServer;
import io.gatehouse.testing.TokenForge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** The demo resource API of seed 000 (GET /product, GET /product/get) with genuine and forged tokens. */
class ResourceApiTest {
    static final String OK_1 = "Ok!You successfully caught me. The Id is 1";
    /** The access token printed in seed 000 itself: signed by a key we do not have, expired in 2020. */
    static final String SPEC_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkJBREM3QTNCQ0U5RjlFQUNFNDg1RjI4NkU5QzU1ODM5OUJCMkM4MUNSUzI1NiIsInR5cCI6ImF0K2p3dCIsIng1dCI6InV0eDZPODZmbnF6a2hmS0c2Y1ZZT1p1eXlCdyJ9.eyJuYmYiOjE1OTc3MTQ0NTAsImV4cCI6MTU5NzcxODA1MCwiaXNzIjoiaHR0cDovL2xvY2FsaG9zdDo1MDA2IiwiY2xpZW50X2lkIjoidGVzdENsaWVudCIsImp0aSI6IjYyNDMwRDM4QjFGMzI4NEI4Q0NGODFCRDdEMUVCNkI0IiwiaWF0IjoxNTk3NzE0NDUwLCJzY29wZSI6WyJiYWlsdW5BcGkiXX0.YlhbfO7bTcSiO2kJ5aBOURZn4DWxN-ZGp-niKrw3zOtPSE7BfqAo1opjTyTqIE_MbXQCobYHP2XUvNhaV8kfArOsD-Ip75NXlxEx9XcedgEARJ9yCXFVW6T_U-0LSdm6dgYsTlXypc_Ut9uyEWUJL35dglfRPDb16y6EdPg8YZvyRYAhARZLPhkGLAvruipjT74fnuO-AIYS02KoYCaChnUsoOFIL4r11nX8gsLUkMuHqwqjnMgCI4ihlefkhqCY0sP9m-gFVjjMJSd1QL9iluTv5_sqYAsOKcvS2aS4OVf-VnGqeE7Revn7BEGjQ1GkIQBJ0onBFHg5b5rf9Ulasw";
    static TestServer server;
    static RSAKey serverKey;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        server.addClient("coupang", "coupangTest", b -> b.scope(Scope.of("bailunApi")).scopeClaim(ScopeClaim.ARRAY));
        server.addClient("opaque", "s3cret", b -> b.tokenFormat(TokenFormat.OPAQUE).scope(Scope.of("bailunApi")));
        for (SigningAlg a : SigningAlg.values()) server.addClient("alg-" + a, "s3cret", b -> b.signingAlg(a));
        server.addClient("other-api", "s3cret", b -> b.audience("https://other-api.example"));
        server.addClient("other-api-opaque", "s3cret", b -> b.audience("https://other-api.example").tokenFormat(TokenFormat.OPAQUE));
        serverKey = JWK.parse(server.privateJwk(SigningAlg.RS256)).toRSAKey();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(String id, String secret) {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", TestServer.basic(id, secret));
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("access_token").asText();
    }

    static HttpResponse<String> getWith(String authorization) {
        return authorization == null ? server.get("/product/get?id=1") : server.get("/product/get?id=1", "Authorization", authorization);
    }

    static void assertInvalidToken(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("invalid_token", json(r).get("error").asText());
        assertFalse(r.body().contains("Ok!"));
    }

    @Test
    void productListWhenNoTokenThenJsonList() {
        HttpResponse<String> r = server.get("/product");
        assertEquals(200, r.statusCode());
        JsonNode list = json(r);
        assertTrue(list.isArray() && list.size() == 3);
        assertEquals(1, list.get(0).get("id").asInt());
    }

    @Test
    void productGetWhenValidJwtThenSpecText() {
        HttpResponse<String> r = getWith("Bearer " + token("coupang", "coupangTest"));
        assertEquals(200, r.statusCode());
        assertEquals(OK_1, r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(OK_1, getWith("bearer " + token("coupang", "coupangTest")).body());
    }

    @ParameterizedTest
    @EnumSource(SigningAlg.class)
    void productGetWhenTokenSignedWithAnyServerAlgThenOk(SigningAlg alg) {
        assertEquals(OK_1, getWith("Bearer " + token("alg-" + alg, "s3cret")).body());
    }

    @Test
    void productGetWhenOpaqueTokenThenLookedUp() {
        String t = token("opaque", "s3cret");
        assertEquals(OK_1, getWith("Bearer " + t).body());
        assertInvalidToken(getWith("Bearer " + t.substring(1) + "A"));
    }

    @Test
    void productGetWhenNoTokenThen401() {
        assertInvalidToken(getWith(null));
        assertInvalidToken(getWith("Bearer"));
        assertInvalidToken(getWith("Bearer "));
        assertInvalidToken(getWith("Basic Y291cGFuZzpjb3VwYW5nVGVzdA=="));
        assertInvalidToken(getWith(token("coupang", "coupangTest")));
    }

    @Test
    void productGetWhenExpiredThen401() {
        String genuine = token("coupang", "coupangTest");
        Map<String, Object> c = TokenForge.claims(genuine);
        long past = Instant.now().getEpochSecond() - 3600;
        c.put("iat", past - 3600);
        c.put("nbf", past - 3600);
        c.put("exp", past);
        String expired = TokenForge.rs256(serverKey, TokenForge.header(genuine, "kid"), "at+jwt", c);
        assertInvalidToken(getWith("Bearer " + expired));
        assertEquals("The access token expired", json(getWith("Bearer " + expired)).get("error_description").asText());
    }

    @Test
    void productGetWhenResignedGenuineClaimsThenOk() {
        // Control for the forgeries below: the same forge with the real key and real claims is accepted.
        String genuine = token("coupang", "coupangTest");
        String resigned = TokenForge.rs256(serverKey, TokenForge.header(genuine, "kid"), "at+jwt", TokenForge.claims(genuine));
        assertEquals(OK_1, getWith("Bearer " + resigned).body());
    }

    @Test
    void productGetWhenTamperedPayloadThen401() {
        String genuine = token("coupang", "coupangTest");
        assertInvalidToken(getWith("Bearer " + TokenForge.tamper(genuine, "client_id", "admin")));
        assertInvalidToken(getWith("Bearer " + TokenForge.tamper(genuine, "exp", 4_102_444_800L)));
    }

    @Test
    void productGetWhenSignedByOtherKeyWithSameKidThen401() {
        String genuine = token("coupang", "coupangTest");
        String forged = TokenForge.rs256(TokenForge.newRsaKey(), TokenForge.header(genuine, "kid"), "at+jwt", TokenForge.claims(genuine));
        assertInvalidToken(getWith("Bearer " + forged));
    }

    @Test
    void productGetWhenAlgNoneThen401() {
        assertInvalidToken(getWith("Bearer " + TokenForge.algNone(token("coupang", "coupangTest"))));
    }

    @Test
    void productGetWhenHmacSignedWithPublicKeyThen401() {
        String genuine = token("coupang", "coupangTest");
        String forged = TokenForge.hs256(serverKey.toPublicJWK().toJSONString().getBytes(), TokenForge.header(genuine, "kid"),
                TokenForge.claims(genuine));
        assertInvalidToken(getWith("Bearer " + forged));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "id_token+jwt", "none"})
    void productGetWhenTypIsNotAtJwtThen401(String typ) {
        String genuine = token("coupang", "coupangTest");
        String other = TokenForge.rs256(serverKey, TokenForge.header(genuine, "kid"), typ.equals("none") ? null : typ,
                TokenForge.claims(genuine));
        assertInvalidToken(getWith("Bearer " + other));
    }

    @Test
    void productGetWhenOtherIssuerThen401() {
        String genuine = token("coupang", "coupangTest");
        Map<String, Object> c = TokenForge.claims(genuine);
        c.put("iss", "http://localhost:5006");
        assertInvalidToken(getWith("Bearer " + TokenForge.rs256(serverKey, TokenForge.header(genuine, "kid"), "at+jwt", c)));
    }

    @Test
    void productGetWhenRevokedJtiThen401() {
        String t = token("coupang", "coupangTest");
        Map<String, Object> c = TokenForge.claims(t);
        new JdbcTokenStore(server.db).revokeJwt((String) c.get("jti"), Instant.ofEpochSecond(((Number) c.get("exp")).longValue()));
        assertInvalidToken(getWith("Bearer " + t));
    }

    @Test
    void productGetWhenSpecExampleTokenThen401() {
        assertInvalidToken(getWith("Bearer " + SPEC_TOKEN));
    }

    @Test
    void productGetWhenGarbageTokenThen401() {
        for (String g : new String[]{"x", "a.b.c", "...", "eyJ.eyJ.", "Bearer x", "%00", "a".repeat(9000)}) {
            assertInvalidToken(getWith("Bearer " + g));
        }
    }

    @Test
    void productGetWhenIdMissingOrNotNumericThen400() {
        String auth = "Bearer " + token("coupang", "coupangTest");
        for (String q : new String[]{"", "?", "?id=", "?id=abc", "?id=1.5", "?id=-1", "?id=1&id=2", "?id=%E2%82", "?id=%31%00", "?id=99999999999999999999", "?other=1"}) {
            HttpResponse<String> r = server.get("/product/get" + q, "Authorization", auth);
            assertEquals(400, r.statusCode(), q);
            assertEquals("{\"error\":\"invalid_request\",\"error_description\":\"The id parameter must be a number\"}", r.body(), q);
        }
        assertEquals("Ok!You successfully caught me. The Id is 42", server.get("/product/get?id=42", "Authorization", auth).body());
    }

    @Test
    void productGetWhenBadIdAndNoTokenThen401First() {
        assertInvalidToken(server.get("/product/get?id=abc"));
    }

    @Test
    void productGetWhenTokenForAnotherAudienceThen401() {
        for (String client : new String[]{"other-api", "other-api-opaque"}) {
            HttpResponse<String> r = getWith("Bearer " + token(client, "s3cret"));
            assertInvalidToken(r);
            assertEquals("The access token was issued for another audience", json(r).get("error_description").asText(), client);
        }
        // The same claims with the issuer as aud open it: aud is the only difference.
        String genuine = token("other-api", "s3cret");
        Map<String, Object> c = TokenForge.claims(genuine);
        c.put("aud", server.base);
        assertEquals(OK_1, getWith("Bearer " + TokenForge.rs256(serverKey, TokenForge.header(genuine, "kid"), "at+jwt", c)).body());
    }

    @Test
    void productGetWhenAudienceAndScopeConfiguredThenOnlyTokensForItWithTheScope() throws Exception {
        try (TestServer shop = TestServer.start(c -> c.withResourceApiAccess(
                new io.gatehouse.config.ResourceApiConfig(java.util.Optional.of("https://shop-api.example"), Scope.of("bailunApi"))))) {
            shop.addClient("shop", "s3cret", b -> b.audience("https://shop-api.example").scope(Scope.of("bailunApi", "other")));
            shop.addClient("shop-opaque", "s3cret", b -> b.audience("https://shop-api.example").scope(Scope.of("bailunApi"))
                    .tokenFormat(TokenFormat.OPAQUE));
            shop.addClient("default-aud", "s3cret", b -> b.scope(Scope.of("bailunApi")));
            java.util.function.BiFunction<String, String, String> tokenFor = (client, scope) -> {
                HttpResponse<String> r = shop.form("/oauth2/token", "grant_type=client_credentials"
                        + (scope == null ? "" : "&scope=" + scope), TestServer.basic(client, "s3cret"));
                assertEquals(200, r.statusCode(), r.body());
                return json(r).get("access_token").asText();
            };
            for (String t : new String[]{tokenFor.apply("shop", null), tokenFor.apply("shop", "bailunApi"),
                    tokenFor.apply("shop-opaque", null)}) {
                assertEquals(OK_1, shop.get("/product/get?id=1", "Authorization", "Bearer " + t).body());
            }
            HttpResponse<String> issuerAud = shop.get("/product/get?id=1", "Authorization", "Bearer " + tokenFor.apply("default-aud", null));
            assertEquals(401, issuerAud.statusCode(), "a token for the issuer is not one for the configured audience");
            assertEquals("Bearer error=\"invalid_token\"", issuerAud.headers().firstValue("WWW-Authenticate").orElse(""));
            HttpResponse<String> noScope = shop.get("/product/get?id=1", "Authorization", "Bearer " + tokenFor.apply("shop", "other"));
            assertEquals(403, noScope.statusCode(), noScope.body());
            assertEquals("Bearer error=\"insufficient_scope\", scope=\"bailunApi\"",
                    noScope.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("insufficient_scope", json(noScope).get("error").asText());
            assertEquals("no-store", noScope.headers().firstValue("Cache-Control").orElse(""));
            assertFalse(noScope.body().contains("Ok!"));
            // The token is checked before the id, and the scope before the id too.
            assertEquals(403, shop.get("/product/get?id=x", "Authorization", "Bearer " + tokenFor.apply("shop", "other")).statusCode());
            assertEquals(200, shop.get("/product").statusCode(), "the list needs no token");
        }
    }

    @Test
    void resourceApiWhenSwitchedOffThen404() {
        try (TestServer off = TestServer.start(c -> c.withResourceApi(false))) {
            assertEquals(404, off.get("/product").statusCode());
            assertEquals(404, off.get("/product/get?id=1").statusCode());
        }
    }
}
