package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.config.Mount;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/** POST /v1/api/oauth/token (seed 001, json-client-credentials dialect) over real HTTP. */
class JsonClientCredentialsTokenTest {
    static final String PATH = "/v1/api/oauth/token";
    static final String SECRET = "abcdefghizklmnopponommnshfghzxxs";
    /** The spec's "Request Payload", byte for byte. */
    static final String SPEC_REQUEST = """
            {
              "grant_type": "client_credentials",
              "scope": "all",
              "client_id": "vision-api-user",
              "client_secret": "abcdefghizklmnopponommnshfghzxxs"
            }""";
    /** The spec's "Error Response Payload", compacted. */
    static final String SPEC_401 = "[{\"detail\":\"Please refer to invalid-params for error details\",\"errorCode\":\"240101\","
            + "\"instance\":\"/v1/api/oauth/token\",\"invalid-params\":[\"Invalid client credentials or scope\"],"
            + "\"source\":\"AGT\",\"status\":401,\"title\":\"Unauthorized\"}]";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> {
            List<Mount> m = new ArrayList<>(c.mounts());
            m.add(new Mount("/other/token", "json-client-credentials", Map.of("source", "VISION")));
            return c.withMounts(m);
        });
        server.addClient("vision-api-user", SECRET, b -> b.scope(Scope.of("all")).accessTokenTtl(Duration.ofSeconds(7199))
                .claims(Map.of("firstVisionId", "00000AUNAB")));
        server.addClient("long-secret", "s".repeat(100), b -> b.scope(Scope.of("all")));
        server.addClient("code-only", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of("https://app.example/cb")).scope(Scope.of("all")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String body) {
        return server.post(PATH, "application/json", body);
    }

    static String req(String grant, String scope, String id, String secret) {
        return "{\"grant_type\":" + grant + ",\"scope\":" + scope + ",\"client_id\":" + id + ",\"client_secret\":" + secret + "}";
    }

    static String problem(int status, String title, String code, String... params) {
        StringBuilder p = new StringBuilder();
        for (String s : params) p.append(p.isEmpty() ? "" : ",").append('"').append(s).append('"');
        return "[{\"detail\":\"Please refer to invalid-params for error details\",\"errorCode\":\"" + code
                + "\",\"instance\":\"" + PATH + "\",\"invalid-params\":[" + p + "],\"source\":\"AGT\",\"status\":" + status
                + ",\"title\":\"" + title + "\"}]";
    }

    static void assertProblem(HttpResponse<String> r, int status, String title, String code, String... params) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(problem(status, title, code, params), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void tokenWhenSpecPayloadThenSpecResponseAndJwtWithCustomClaim() throws Exception {
        HttpResponse<String> r = post(SPEC_REQUEST);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = json(r);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("access_token", "token_type", "expires_in"), names);
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(7199, body.get("expires_in").asInt());
        String jwt = body.get("access_token").asText();
        assertTrue(r.body().matches("\\{\"access_token\":\"[A-Za-z0-9_.-]+\",\"token_type\":\"Bearer\",\"expires_in\":7199}"), r.body());

        JsonNode header = TestServer.jwtPart(jwt, 0);
        assertEquals("at+jwt", header.get("typ").asText());
        var key = JWKSet.parse(server.get("/jwks").body()).getKeyByKeyId(header.get("kid").asText()).toRSAKey();
        assertTrue(JWSObject.parse(jwt).verify(new RSASSAVerifier(key)));
        JsonNode claims = TestServer.jwtPart(jwt, 1);
        assertEquals("all", claims.get("scope").asText());
        assertEquals("vision-api-user", claims.get("client_id").asText());
        assertEquals("00000AUNAB", claims.get("firstVisionId").asText());
        assertEquals(server.base, claims.get("iss").asText());
        assertEquals("vision-api-user", claims.get("sub").asText());
        assertEquals(server.base, claims.get("aud").asText());
        assertEquals(7199, claims.get("exp").asLong() - claims.get("iat").asLong());
        assertTrue(claims.has("jti"));

        HttpResponse<String> res = server.get("/product/get?id=7", "Authorization", "Bearer " + jwt);
        assertEquals("Ok!You successfully caught me. The Id is 7", res.body());
    }

    @Test
    void tokenWhenWrongSecretUnknownClientOrForeignScopeThenSpecErrorExactly() {
        List<HttpResponse<String>> all = List.of(
                post(req("\"client_credentials\"", "\"all\"", "\"vision-api-user\"", "\"wrong\"")),
                post(req("\"client_credentials\"", "\"all\"", "\"ghost\"", "\"" + SECRET + "\"")),
                post(req("\"client_credentials\"", "\"admin\"", "\"vision-api-user\"", "\"" + SECRET + "\"")),
                post(req("\"client_credentials\"", "\"all admin\"", "\"vision-api-user\"", "\"" + SECRET + "\"")));
        for (HttpResponse<String> r : all) {
            assertEquals(401, r.statusCode());
            assertEquals(SPEC_401, r.body());
        }
    }

    @Test
    void tokenWhen101CharacterSecretWithRightPrefixThenRefusedNeverTruncated() {
        assertEquals(200, post(req("\"client_credentials\"", "\"all\"", "\"long-secret\"", "\"" + "s".repeat(100) + "\"")).statusCode());
        assertProblem(post(req("\"client_credentials\"", "\"all\"", "\"long-secret\"", "\"" + "s".repeat(101) + "\"")),
                400, "Bad Request", "240005", "client_secret must be at most 100 characters");
    }

    @Test
    void tokenWhenGrantNotAllowedForClientThen403() {
        assertProblem(post(req("\"client_credentials\"", "\"all\"", "\"code-only\"", "\"s3cret\"")), 403, "Forbidden", "240301",
                "The client is not allowed to use the client_credentials grant");
    }

    @Test
    void tokenWhenValidationFailsThen400WithDocumentedCodesNamingEveryField() {
        assertProblem(post("{}"), 400, "Bad Request", "240003",
                "grant_type is required", "scope is required", "client_id is required", "client_secret is required");
        assertProblem(post(req("123", "null", "[]", "{}")), 400, "Bad Request", "240004",
                "grant_type must be a string", "scope must be a string", "client_id must be a string", "client_secret must be a string");
        assertProblem(post(req("\"password\"", "\"all\"", "\"vision-api-user\"", "\"" + SECRET + "\"")), 400, "Bad Request",
                "240007", "grant_type must be client_credentials");
        assertProblem(post(req("\"client_credentials\"", "\"" + "a".repeat(51) + "\"", "\"" + "i".repeat(51) + "\"", "\"x\"")),
                400, "Bad Request", "240005", "scope must be at most 50 characters", "client_id must be at most 50 characters");
        assertProblem(post(req("\"client_credentials\"", "\"all\"", "\"vision\\u0000\"", "\"x\"")), 400, "Bad Request",
                "240006", "client_id must not contain control characters");
        assertProblem(post(req("\"client_credentials\"", "\"all\"", "\"vision\\r\\nWARN forged\"", "\"x\"")), 400, "Bad Request",
                "240006", "client_id must not contain control characters");
        assertProblem(server.post(PATH, "application/x-www-form-urlencoded", "grant_type=client_credentials&scope=all"),
                400, "Bad Request", "240002", "Content-Type must be application/json");
        assertProblem(server.post(PATH, "text/plain", SPEC_REQUEST), 400, "Bad Request", "240002", "Content-Type must be application/json");
    }

    @Test
    void tokenWhenDuplicateSecretKeysThenRefusedNotLastWins() {
        String dup = "{\"grant_type\":\"client_credentials\",\"scope\":\"all\",\"client_id\":\"vision-api-user\","
                + "\"client_secret\":\"x\",\"client_secret\":\"" + SECRET + "\"}";
        assertProblem(post(dup), 400, "Bad Request", "240001", "Duplicate keys are not allowed");
    }

    @Test
    void tokenWhenMalformedBodiesThenSyntaxCode() {
        assertProblem(post(SPEC_REQUEST + " trailing"), 400, "Bad Request", "240001", "Malformed JSON");
        assertProblem(post("\uFEFF" + SPEC_REQUEST), 400, "Bad Request", "240001", "A byte-order mark is not allowed");
        assertProblem(post("[]"), 400, "Bad Request", "240001", "The body must be a JSON object");
        assertProblem(post("[".repeat(60_000)), 400, "Bad Request", "240001", "The JSON document is too deeply nested or too large");
    }

    @Test
    void tokenWhenUnknownFieldsThenIgnored() {
        String body = "{\"grant_type\":\"client_credentials\",\"scope\":\"all\",\"client_id\":\"vision-api-user\","
                + "\"client_secret\":\"" + SECRET + "\",\"audience\":[1,2],\"extra\":{\"x\":null}}";
        assertEquals(200, post(body).statusCode());
    }

    @Test
    void tokenWhenHostileBodiesThenProblemArray4xxQuickly() {
        BadJsonInput.bodies(SPEC_REQUEST).forEach((name, body) -> {
            long t0 = System.nanoTime();
            HttpResponse<String> r = BadJsonInput.post(server, PATH, body);
            BadJsonInput.assertFast(t0, name);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 413, name + ": " + r.statusCode());
            JsonNode n = json(r);
            assertTrue(n.isArray() && n.size() == 1, name);
            assertEquals(r.statusCode(), n.get(0).get("status").asInt(), name);
            assertEquals(PATH, n.get(0).get("instance").asText());
            assertEquals(r.statusCode() == 413 ? "240013" : "240001", n.get(0).get("errorCode").asText(), name);
        });
    }

    @Test
    void tokenWhenBodyTooLargeThen413ProblemArray() {
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertProblem(BadJsonInput.post(server, PATH, big), 413, "Payload Too Large", "240013", "The request body is too large");
        assertProblem(BadJsonInput.postChunked(server, PATH, big), 413, "Payload Too Large", "240013", "The request body is too large");
    }

    @Test
    void tokenWhenSourceOptionThenItIsTheSource() {
        HttpResponse<String> r = server.post("/other/token", "application/json", "{}");
        assertEquals(400, r.statusCode());
        assertEquals("VISION", json(r).get(0).get("source").asText());
        assertEquals("/other/token", json(r).get(0).get("instance").asText());
    }
}
