package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem.Kind;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.http.WebResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.gatehouse.http.dialect.DialectFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Table-driven mapping tests of the json-client-credentials dialect (seed 001), no server. */
class JsonClientCredentialsDialectTest {
    static final String PATH = "/v1/api/oauth/token";
    static final String SPEC_BODY = """
            {
              "grant_type": "client_credentials",
              "scope": "all",
              "client_id": "vision-api-user",
              "client_secret": "abcdefghizklmnopponommnshfghzxxs"
            }
            """;
    final JsonClientCredentialsDialect d = new JsonClientCredentialsDialect("AGT");

    static String req(String grant, String scope, String id, String secret) {
        return "{\"grant_type\":" + grant + ",\"scope\":" + scope + ",\"client_id\":" + id + ",\"client_secret\":" + secret + "}";
    }

    @Test
    void parseWhenSpecPayloadThenClientCredentialsCall() {
        TokenCall call = d.parse(json(PATH, SPEC_BODY));
        assertEquals(new ClientAuth("vision-api-user", Optional.of("abcdefghizklmnopponommnshfghzxxs"),
                ClientAuth.Method.CLIENT_SECRET_POST), call.client());
        assertEquals(Optional.of("abcdefghizklmnopponommnshfghzxxs"), call.client().secret());
        assertEquals(new TokenRequest.ClientCredentials(Optional.of(Scope.of("all"))), call.request());
    }

    @Test
    void parseWhenMaximumLengthsAndUnknownFieldsThenAccepted() {
        String body = "{\"grant_type\":\"client_credentials\",\"scope\":\"" + "s".repeat(50) + "\",\"client_id\":\""
                + "i".repeat(50) + "\",\"client_secret\":\"" + "x".repeat(100) + "\",\"extra\":{\"a\":[1,2]},\"n\":null}";
        TokenCall call = d.parse(json(PATH, body));
        assertEquals("x".repeat(100), call.client().secret().orElseThrow());
        assertEquals(new TokenRequest.ClientCredentials(Optional.of(Scope.of("s".repeat(50)))), call.request());
        assertEquals(Scope.of("a", "b"), ((TokenRequest.ClientCredentials) d.parse(json(PATH,
                req("\"client_credentials\"", "\"a b\"", "\"c\"", "\"s\""))).request()).scope().orElseThrow());
    }

    static Stream<Arguments> badRequests() {
        String cc = "\"client_credentials\"";
        return Stream.of(
                Arguments.of("{}", List.of("grant_type:MISSING", "scope:MISSING", "client_id:MISSING", "client_secret:MISSING")),
                Arguments.of(req("123", "null", "[]", "{}"), List.of("grant_type:WRONG_TYPE", "scope:WRONG_TYPE", "client_id:WRONG_TYPE", "client_secret:WRONG_TYPE")),
                Arguments.of(req("\"\"", "\"all\"", "\"c\"", "\"s\""), List.of("grant_type:MISSING")),
                Arguments.of(req("\"password\"", "\"all\"", "\"c\"", "\"s\""), List.of("grant_type:UNSUPPORTED_VALUE")),
                Arguments.of(req("\"authorization_code\"", "\"all\"", "\"c\"", "\"s\""), List.of("grant_type:UNSUPPORTED_VALUE")),
                Arguments.of(req("\"" + "g".repeat(51) + "\"", "\"all\"", "\"c\"", "\"s\""), List.of("grant_type:TOO_LONG")),
                Arguments.of(req(cc, "\"" + "s".repeat(51) + "\"", "\"c\"", "\"s\""), List.of("scope:TOO_LONG")),
                Arguments.of(req(cc, "\"all\"", "\"" + "i".repeat(51) + "\"", "\"s\""), List.of("client_id:TOO_LONG")),
                Arguments.of(req(cc, "\"all\"", "\"c\"", "\"" + "x".repeat(101) + "\""), List.of("client_secret:TOO_LONG")),
                Arguments.of(req(cc, "\"a  b\"", "\"c\"", "\"s\""), List.of("scope:MALFORMED")),
                Arguments.of(req(cc, "\"all\"", "\"vision\\u0000\"", "\"s\""), List.of("client_id:MALFORMED")),
                Arguments.of(req(cc, "\"all\"", "\"vision\\r\\nforged log line\"", "\"s\""), List.of("client_id:MALFORMED")),
                Arguments.of(req("\"x\"", "5", "\"" + "i".repeat(51) + "\"", "\"a\\nb\""),
                        List.of("grant_type:UNSUPPORTED_VALUE", "scope:WRONG_TYPE", "client_id:TOO_LONG", "client_secret:MALFORMED")),
                Arguments.of("{\"client_secret\":\"x\",\"client_secret\":\"real\"}", List.of("body:SYNTAX")),
                Arguments.of(SPEC_BODY + "garbage", List.of("body:SYNTAX")),
                Arguments.of("\uFEFF" + SPEC_BODY, List.of("body:SYNTAX")),
                Arguments.of("{\"grant_type\":", List.of("body:SYNTAX")),
                Arguments.of("123", List.of("body:SYNTAX")),
                Arguments.of("null", List.of("body:SYNTAX")),
                Arguments.of("[]", List.of("body:SYNTAX")),
                Arguments.of("", List.of("body:SYNTAX")),
                Arguments.of("[".repeat(60_000), List.of("body:SYNTAX")));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void parseWhenBadThenEveryProblemCollected(String body, List<String> expected) {
        assertEquals(expected, problems(d, json(PATH, body)).stream().map(p -> p.field() + ":" + p.kind()).toList());
    }

    @Test
    void parseWhenWrongContentTypeThenMediaType() {
        byte[] b = SPEC_BODY.getBytes(StandardCharsets.UTF_8);
        for (String ct : new String[]{null, "text/plain", "application/x-www-form-urlencoded"}) {
            assertEquals(List.of("content-type:MEDIA_TYPE"), problems(d, request(PATH, ct, b)).stream()
                    .map(p -> p.field() + ":" + p.kind()).toList());
        }
    }

    @Test
    void successWhenTokenThenExactSpecShape() {
        WebResponse r = d.success(result("vision-api-user", "eyJ.x.y", 7199));
        assertEquals(200, r.status());
        assertEquals("{\"access_token\":\"eyJ.x.y\",\"token_type\":\"Bearer\",\"expires_in\":7199}", body(r));
        assertEquals("no-store", r.header("Cache-Control"));
    }

    static String problem(String code, List<String> params, int status, String title, String source) {
        StringBuilder p = new StringBuilder();
        for (String s : params) p.append(p.isEmpty() ? "" : ",").append('"').append(s).append('"');
        return "[{\"detail\":\"Please refer to invalid-params for error details\",\"errorCode\":\"" + code
                + "\",\"instance\":\"" + PATH + "\",\"invalid-params\":[" + p + "],\"source\":\"" + source
                + "\",\"status\":" + status + ",\"title\":\"" + title + "\"}]";
    }

    static final Map<String, Object[]> ERRORS = Map.ofEntries(
            Map.entry("InvalidRequest", new Object[]{400, "240000", "Bad Request", "Something is wrong"}),
            Map.entry("InvalidClient", new Object[]{401, "240101", "Unauthorized", "Invalid client credentials or scope"}),
            Map.entry("InvalidGrant", new Object[]{400, "240000", "Bad Request", "Invalid grant"}),
            Map.entry("UnauthorizedClient", new Object[]{403, "240301", "Forbidden", "The client is not allowed to use the client_credentials grant"}),
            Map.entry("UnsupportedGrantType", new Object[]{400, "240007", "Bad Request", "grant_type must be client_credentials"}),
            Map.entry("UnsupportedResponseType", new Object[]{400, "240000", "Bad Request", "Unsupported response_type"}),
            Map.entry("InvalidRequestObject", new Object[]{400, "240000", "Bad Request", "The request object is expired"}),
            Map.entry("RequestUriNotSupported", new Object[]{400, "240000", "Bad Request", "request_uri is not supported"}),
            Map.entry("InvalidScope", new Object[]{401, "240101", "Unauthorized", "Invalid client credentials or scope"}),
            Map.entry("AccessDenied", new Object[]{403, "240301", "Forbidden", "Access denied"}),
            Map.entry("LoginRequired", new Object[]{403, "240301", "Forbidden", "Login required"}),
            Map.entry("ConsentRequired", new Object[]{403, "240301", "Forbidden", "Consent required"}),
            Map.entry("UnmetAuthenticationRequirements", new Object[]{403, "240301", "Forbidden", "Unmet acr"}),
            Map.entry("InvalidToken", new Object[]{401, "240101", "Unauthorized", "Invalid client credentials or scope"}),
            Map.entry("TemporarilyUnavailable", new Object[]{503, "240503", "Service Unavailable", "Try again later"}),
            Map.entry("TooManyAttempts", new Object[]{429, "240429", "Too Many Requests", "Too many failed attempts; retry later"}),
            Map.entry("ServerError", new Object[]{500, "240500", "Internal Server Error", "Internal error (ref r-1)"}));

    @Test
    void errorWhenAnyVariantThenProblemArrayWithItsStatus() {
        assertEveryVariantCovered(ERRORS.keySet());
        everyError().forEach((name, error) -> {
            Object[] row = ERRORS.get(name);
            WebResponse r = d.error(error, json(PATH, "{}"));
            assertEquals(row[0], r.status(), name);
            assertEquals(problem((String) row[1], List.of((String) row[3]), (int) row[0], (String) row[2], "AGT"), body(r), name);
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals(hasRetryAfter(name) ? "7" : null, r.header("Retry-After"), name);
        });
    }

    @Test
    void errorWhenBadCredentialsThenExactlyTheSpecExample() {
        WebResponse r = d.error(new OAuthError.InvalidClient("Bad client credentials", OAuthError.ClientAuthMethodHint.POST), json(PATH, "{}"));
        assertEquals("""
                [{"detail":"Please refer to invalid-params for error details","errorCode":"240101",\
                "instance":"/v1/api/oauth/token","invalid-params":["Invalid client credentials or scope"],\
                "source":"AGT","status":401,"title":"Unauthorized"}]""", body(r));
    }

    static Stream<Arguments> codeTable() {
        return Stream.of(
                Arguments.of(Kind.SYNTAX, "240001"), Arguments.of(Kind.MEDIA_TYPE, "240002"),
                Arguments.of(Kind.MISSING, "240003"), Arguments.of(Kind.WRONG_TYPE, "240004"),
                Arguments.of(Kind.TOO_LONG, "240005"), Arguments.of(Kind.MALFORMED, "240006"),
                Arguments.of(Kind.UNSUPPORTED_VALUE, "240007"), Arguments.of(Kind.REPEATED, "240008"),
                Arguments.of(Kind.BODY, "240013"));
    }

    @ParameterizedTest
    @MethodSource("codeTable")
    void errorCodeWhenValidationKindThenDocumentedCode(Kind kind, String code) {
        assertEquals(code, JsonClientCredentialsDialect.errorCode(kind));
        WebResponse r = d.error(OAuthError.InvalidRequest.of("f", kind, "f is bad"), json(PATH, "{}"));
        int status = kind == Kind.BODY ? 413 : 400;
        assertEquals(status, r.status());
        assertEquals(problem(code, List.of("f is bad"), status, status == 413 ? "Payload Too Large" : "Bad Request", "AGT"), body(r));
    }

    @Test
    void errorWhenSeveralProblemsThenFirstKindsCodeAndEveryFieldNamed() {
        OAuthError e = assertThrows(OAuthException.class, () -> d.parse(json(PATH,
                req("\"x\"", "5", "\"" + "i".repeat(51) + "\"", "\"a\\nb\"")))).error();
        assertEquals(problem("240007", List.of("grant_type must be client_credentials", "scope must be a string",
                "client_id must be at most 50 characters", "client_secret must not contain control characters"),
                400, "Bad Request", "AGT"), body(d.error(e, json(PATH, "{}"))));
    }

    @Test
    void errorWhenSourceOptionThenUsed() {
        WebResponse r = new JsonClientCredentialsDialect("VISION").error(new OAuthError.InvalidScope("x"), json(PATH, "{}"));
        assertTrue(body(r).contains("\"source\":\"VISION\""));
    }
}
