package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.gatehouse.config.Mount;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** POST /oauth/token/get (seed 000, app-key dialect) over real HTTP, as the seed's clients send it. */
class AppKeyTokenTest {
    static final String PATH = "/oauth/token/get";
    /** The spec's "Authorization-request", byte for byte (it sends app_secret). */
    static final String SPEC_REQUEST = """
            {
                "app_id":"coupang",
                "app_secret":"coupangTest"
            }""";
    static final String ILLEGAL_ID = "{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":401,\"errMsg\":\"Illegal id\"}";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withMounts(withExtra(c.mounts(),
                new Mount("/alt/token/get", "app-key", Map.of("naming", "snake_case", "http-status", "always-200")))));
        server.addClient("coupang", "coupangTest", b -> b.scope(Scope.of("bailunApi")).scopeClaim(ScopeClaim.ARRAY));
        server.addClient("code-only", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of("https://app.example/cb")));
    }

    static List<Mount> withExtra(List<Mount> mounts, Mount extra) {
        List<Mount> all = new ArrayList<>(mounts);
        all.add(extra);
        return all;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String body) {
        return server.post(PATH, "application/json", body);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void tokenWhenSpecExampleThenSpecResponseShapeAndVerifiableJwt() throws Exception {
        HttpResponse<String> r = post(SPEC_REQUEST);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = json(r);
        assertEquals(List.of("appId", "accessToken", "expiresIn", "statusCode", "errMsg"), fieldNames(body));
        assertEquals("coupang", body.get("appId").asText());
        assertEquals(3600, body.get("expiresIn").asInt());
        assertEquals(200, body.get("statusCode").asInt());
        assertTrue(body.get("errMsg").isNull());
        String bearer = body.get("accessToken").asText();
        assertTrue(bearer.startsWith("Bearer eyJ"), bearer);
        String jwt = bearer.substring("Bearer ".length());

        JsonNode header = TestServer.jwtPart(jwt, 0);
        assertEquals("RS256", header.get("alg").asText());
        assertEquals("at+jwt", header.get("typ").asText());
        String kid = header.get("kid").asText();
        RSAKey key = JWKSet.parse(server.get("/jwks").body()).getKeyByKeyId(kid).toRSAKey();
        assertTrue(JWSObject.parse(jwt).verify(new RSASSAVerifier(key)));

        JsonNode claims = TestServer.jwtPart(jwt, 1);
        for (String c : List.of("iss", "nbf", "iat", "exp", "client_id", "jti", "scope")) assertTrue(claims.has(c), c);
        assertEquals(server.base, claims.get("iss").asText());
        assertEquals("coupang", claims.get("client_id").asText());
        assertTrue(claims.get("scope").isArray());
        assertEquals("[\"bailunApi\"]", claims.get("scope").toString());
        assertEquals(3600, claims.get("exp").asLong() - claims.get("iat").asLong());

        HttpResponse<String> res = server.get("/product/get?id=1", "Authorization", bearer);
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("Ok!You successfully caught me. The Id is 1", res.body());
    }

    @Test
    void tokenWhenAppKeyFieldThenSameAsAppSecret() {
        HttpResponse<String> r = post("{\"app_id\":\"coupang\",\"app_key\":\"coupangTest\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("coupang", json(r).get("appId").asText());
    }

    @Test
    void tokenWhenUnknownAppOrWrongKeyThenSameIllegalId401() {
        HttpResponse<String> wrong = post("{\"app_id\":\"coupang\",\"app_key\":\"nope\"}");
        HttpResponse<String> unknown = post("{\"app_id\":\"ghost\",\"app_key\":\"coupangTest\"}");
        HttpResponse<String> weird = post("{\"app_id\":\"caf\\u00e9 \",\"app_key\":\"x\"}");
        for (HttpResponse<String> r : List.of(wrong, unknown, weird)) {
            assertEquals(401, r.statusCode());
            assertEquals(ILLEGAL_ID, r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty());
        }
    }

    @Test
    void tokenWhenGrantNotAllowedThen403() {
        HttpResponse<String> r = post("{\"app_id\":\"code-only\",\"app_key\":\"s3cret\"}");
        assertEquals(403, r.statusCode());
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":403,"
                + "\"errMsg\":\"The app is not allowed to obtain access tokens\"}", r.body());
    }

    @Test
    void tokenWhenMissingOrWrongTypedFieldsThen400NamingThem() {
        assertBadRequest(post("{}"), "app_id is required; app_key is required");
        assertBadRequest(post("{\"app_id\":123,\"app_key\":null}"), "app_id must be a string; app_key must be a string");
        assertBadRequest(post("{\"app_id\":[],\"app_secret\":{}}"), "app_id must be a string; app_secret must be a string");
        assertBadRequest(post("{\"app_id\":\"coupang\",\"app_key\":\"coupangTest\",\"app_secret\":\"coupangTest\"}"),
                "Send only one of app_key and app_secret");
        assertBadRequest(server.post(PATH, "application/x-www-form-urlencoded", "app_id=coupang&app_key=coupangTest"),
                "Content-Type must be application/json");
        assertBadRequest(server.post(PATH, null, SPEC_REQUEST), "Content-Type must be application/json");
    }

    @Test
    void tokenWhenControlCharactersInIdThenRefused() {
        assertBadRequest(post("{\"app_id\":\"coupang\\u0000\",\"app_key\":\"coupangTest\"}"), "app_id must not contain control characters");
        assertBadRequest(post("{\"app_id\":\"coupang\\r\\nINFO forged\",\"app_key\":\"coupangTest\"}"), "app_id must not contain control characters");
    }

    @Test
    void tokenWhenDuplicateKeysThenRefusedNotLastWins() {
        assertBadRequest(post("{\"app_id\":\"coupang\",\"app_key\":\"x\",\"app_key\":\"coupangTest\"}"), "Duplicate keys are not allowed");
    }

    @Test
    void tokenWhenUnknownFieldsThenIgnored() {
        HttpResponse<String> r = post("{\"app_id\":\"coupang\",\"app_secret\":\"coupangTest\",\"grant\":[1,{\"a\":null}],\"x\":1}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void tokenWhenHostileBodiesThenEnvelope4xxQuickly() {
        BadJsonInput.bodies(SPEC_REQUEST).forEach((name, body) -> {
            long t0 = System.nanoTime();
            HttpResponse<String> r = BadJsonInput.post(server, PATH, body);
            BadJsonInput.assertFast(t0, name);
            assertEquals(400, r.statusCode(), name + ": " + r.body());
            JsonNode n = json(r);
            assertEquals(List.of("appId", "accessToken", "expiresIn", "statusCode", "errMsg"), fieldNames(n), name);
            assertEquals(400, n.get("statusCode").asInt(), name);
            assertTrue(n.get("accessToken").isNull());
        });
    }

    @Test
    void tokenWhenHugeChunkedBodyThenEnvelope400() {
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) '[');
        long t0 = System.nanoTime();
        HttpResponse<String> r = BadJsonInput.postChunked(server, PATH, big);
        BadJsonInput.assertFast(t0, "chunked 10 MB");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":400,"
                + "\"errMsg\":\"The request body is too large\"}", r.body());
    }

    @Test
    void tokenWhenSnakeCaseAlways200MountThenParameterTableNamesAndHttp200() {
        HttpResponse<String> ok = server.post("/alt/token/get", "application/json", SPEC_REQUEST);
        assertEquals(200, ok.statusCode());
        assertEquals(List.of("app_id", "access_token", "expires_in", "status_code", "err_msg"), fieldNames(json(ok)));
        HttpResponse<String> bad = server.post("/alt/token/get", "application/json", "{\"app_id\":\"coupang\",\"app_key\":\"no\"}");
        assertEquals(200, bad.statusCode());
        assertEquals("{\"app_id\":null,\"access_token\":null,\"expires_in\":null,\"status_code\":401,\"err_msg\":\"Illegal id\"}", bad.body());
    }

    @Test
    void tokenWhenGetThen405() {
        assertEquals(405, server.get(PATH).statusCode());
    }

    static void assertBadRequest(HttpResponse<String> r, String errMsg) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":400,\"errMsg\":"
                + new String(io.gatehouse.http.Json.write(errMsg), StandardCharsets.UTF_8) + "}", r.body());
    }
}
