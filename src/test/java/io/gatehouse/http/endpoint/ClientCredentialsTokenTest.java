package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** POST /oauth2/token with client_credentials, over real HTTP, as a client sees it. */
class ClientCredentialsTokenTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.addClient("svc", "s3cret", b -> b.scope(Scope.of("read", "write")).claims(Map.of("tenant", "acme")));
        server.addClient("opaque-svc", "s3cret", b -> b.tokenFormat(TokenFormat.OPAQUE));
        for (SigningAlg a : SigningAlg.values()) {
            server.addClient("alg-" + a, "s3cret", b -> b.signingAlg(a).scope(Scope.of("x")));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tokenWhenBasicAuthThenRfc9068JwtVerifiableAgainstJwks() throws Exception {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret"));
        assertEquals(200, r.statusCode());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-cache", r.headers().firstValue("Pragma").orElse(""));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = json(r);
        assertEquals(Set.of("access_token", "token_type", "expires_in", "scope"), fields(body));
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asInt());
        assertEquals("read write", body.get("scope").asText());

        JWTClaimsSet claims = verify(body.get("access_token").asText());
        assertEquals(server.base, claims.getIssuer());
        assertEquals("svc", claims.getSubject());
        assertEquals("svc", claims.getStringClaim("client_id"));
        assertEquals(java.util.List.of(server.base), claims.getAudience());
        assertEquals("read write", claims.getStringClaim("scope"));
        assertEquals("acme", claims.getStringClaim("tenant"));
        assertNotNull(claims.getJWTID());
        assertEquals(3600, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        JsonNode header = TestServer.jwtPart(body.get("access_token").asText(), 0);
        assertEquals("at+jwt", header.get("typ").asText());
        assertEquals("RS256", header.get("alg").asText());
    }

    @ParameterizedTest
    @EnumSource(SigningAlg.class)
    void tokenWhenClientAlgChosenThenSignedWithItAndKidIsThumbprint(SigningAlg alg) throws Exception {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("alg-" + alg, "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        String token = json(r).get("access_token").asText();
        assertEquals(alg.name(), TestServer.jwtPart(token, 0).get("alg").asText());
        String kid = TestServer.jwtPart(token, 0).get("kid").asText();
        JWKSet jwks = JWKSet.parse(server.get("/jwks").body());
        assertEquals(kid, jwks.getKeyByKeyId(kid).computeThumbprint().toString());
        if (alg != SigningAlg.EdDSA) {
            assertEquals("alg-" + alg, verify(token).getSubject());
        } else {
            assertTrue(JWSObject.parse(token).getSignature().decode().length == 64);
        }
    }

    @Test
    void tokenWhenClientSecretPostThenOk() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials&client_id=svc&client_secret=s3cret&scope=read");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("read", json(r).get("scope").asText());
    }

    @Test
    void tokenWhenSeedPathThenSameStandardDialect() {
        HttpResponse<String> r = server.form("/api/v1/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void tokenWhenOpaqueClientThenRandom256BitHandle() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("opaque-svc", "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        String token = json(r).get("access_token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertFalse(json(r).has("scope"));
    }

    @Test
    void tokenWhenWrongSecretOrUnknownClientThenSameInvalidClient401WithChallenge() {
        HttpResponse<String> wrong = server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "nope"));
        HttpResponse<String> unknown = server.form("/oauth2/token", "grant_type=client_credentials", basic("ghost", "nope"));
        for (HttpResponse<String> r : java.util.List.of(wrong, unknown)) {
            assertEquals(401, r.statusCode());
            assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"Bad client credentials\"}", r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        }
    }

    @Test
    void tokenWhenPostAuthFailsThenInvalidClientWithoutChallenge() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials&client_id=svc&client_secret=no");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty());
    }

    @Test
    void tokenWhenBasicHeaderMalformedThenInvalidClient() {
        for (String h : new String[]{"Basic %%%notbase64", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())}) {
            HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", "Authorization", h);
            assertEquals(401, r.statusCode(), h);
            assertEquals("invalid_client", json(r).get("error").asText());
        }
    }

    @Test
    void tokenWhenSecretHasReservedCharsThenFormDecodedFromBasic() {
        server.addClient("odd:id", "p@ss:w%rd+ /", b -> { });
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("odd:id", "p@ss:w%rd+ /"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void tokenWhenScopeNotAllowedThenInvalidScope() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials&scope=admin", basic("svc", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_scope", json(r).get("error").asText());
    }

    @Test
    void tokenWhenHugeScopeThenRefusedQuickly() {
        String scope = "a+".repeat(20_000) + "a";
        long t0 = System.nanoTime();
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials&scope=" + scope, basic("svc", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_scope", json(r).get("error").asText());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
    }

    @Test
    void tokenWhenGrantNotAllowedThenUnauthorizedClient() {
        server.clients.add("code-only", java.util.Optional.of("s3cret"), false,
                b -> b.grantTypes(Set.of(io.gatehouse.core.model.GrantType.AUTHORIZATION_CODE)));
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic("code-only", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("unauthorized_client", json(r).get("error").asText());
    }

    @Test
    void tokenWhenUnknownGrantThenUnsupportedGrantType() {
        HttpResponse<String> r = server.form("/oauth2/token", "grant_type=password&username=a&password=b", basic("svc", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("unsupported_grant_type", json(r).get("error").asText());
    }

    @Test
    void tokenWhenRequestMalformedThenInvalidRequest() {
        String[][] cases = {
                {"", "missing grant_type"},
                {"grant_type=client_credentials&grant_type=client_credentials", "repeated"},
                {"grant_type=client_credentials&scope=%zz", "bad percent-encoding"},
                {"grant_type=client_credentials&scope=%C3%28", "not UTF-8"},
                {"grant_type=client_credentials&=x", "empty name"},
                {"grant_type=client_credentials&client_secret=s3cret", "two auth methods"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = server.form("/oauth2/token", c[0], basic("svc", "s3cret"));
            assertEquals(400, r.statusCode(), c[1]);
            assertEquals("invalid_request", json(r).get("error").asText(), c[1]);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), c[1]);
        }
    }

    @Test
    void tokenWhenRawNonUtf8BytesThenInvalidRequest() {
        byte[] body = "grant_type=client_credentials&scope=\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> r = server.postBytes("/oauth2/token", "application/x-www-form-urlencoded", body, basic("svc", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request", json(r).get("error").asText());
    }

    @Test
    void tokenWhenNotFormEncodedThenInvalidRequest() {
        HttpResponse<String> r = server.post("/oauth2/token", "application/json", "{\"grant_type\":\"client_credentials\"}", basic("svc", "s3cret"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request", json(r).get("error").asText());
    }

    @Test
    void tokenWhenBodyOver64KiBThen413() {
        String body = "grant_type=client_credentials&pad=" + "a".repeat(70_000);
        HttpResponse<String> r = server.form("/oauth2/token", body, basic("svc", "s3cret"));
        assertEquals(413, r.statusCode());
        assertEquals("invalid_request", json(r).get("error").asText());
    }

    @Test
    void tokenWhenGetThen405WithAllow() {
        HttpResponse<String> r = server.get("/oauth2/token");
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void secretChangedThroughAdminThenOldSecretRefusedWithoutRestart() {
        server.addClient("rotating", "first-secret", b -> { });
        assertEquals(200, server.form("/oauth2/token", "grant_type=client_credentials", basic("rotating", "first-secret")).statusCode());
        server.clients.update("rotating", java.util.Optional.of("second-secret"), b -> { });
        assertEquals(401, server.form("/oauth2/token", "grant_type=client_credentials", basic("rotating", "first-secret")).statusCode());
        assertEquals(200, server.form("/oauth2/token", "grant_type=client_credentials", basic("rotating", "second-secret")).statusCode());
        server.clients.remove("rotating");
        assertEquals(401, server.form("/oauth2/token", "grant_type=client_credentials", basic("rotating", "second-secret")).statusCode());
    }

    static JWTClaimsSet verify(String token) throws Exception {
        var proc = new DefaultJWTProcessor<SecurityContext>();
        proc.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        JWKSet jwks = JWKSet.parse(server.get("/jwks").body());
        proc.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(com.nimbusds.jose.JWSAlgorithm.RS256, com.nimbusds.jose.JWSAlgorithm.ES256, com.nimbusds.jose.JWSAlgorithm.PS256),
                new ImmutableJWKSet<>(jwks)));
        return proc.process(token, null);
    }

    static Set<String> fields(JsonNode n) {
        Set<String> s = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
