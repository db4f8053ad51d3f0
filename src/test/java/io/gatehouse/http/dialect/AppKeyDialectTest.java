package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthError.FieldProblem.Kind;
import io.gatehouse.core.model.ClientAuth;
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

/** Table-driven mapping tests of the app-key dialect (seed 000), no server. */
class AppKeyDialectTest {
    static final String PATH = "/oauth/token/get";
    final AppKeyDialect camel = new AppKeyDialect(AppKeyDialect.Naming.CAMEL_CASE, AppKeyDialect.HttpStatus.MIRROR);

    static Stream<Arguments> goodRequests() {
        return Stream.of(
                Arguments.of("{\"app_id\":\"coupang\",\"app_secret\":\"coupangTest\"}", "coupang", "coupangTest"),
                Arguments.of("{\"app_id\":\"coupang\",\"app_key\":\"coupangTest\"}", "coupang", "coupangTest"),
                Arguments.of("{\n    \"app_id\":\"coupang\",\n    \"app_secret\":\"coupangTest\"\n}", "coupang", "coupangTest"),
                Arguments.of("{\"app_id\":\"a\",\"app_key\":\"k\",\"extra\":[1,{\"x\":null}],\"more\":7}", "a", "k"),
                Arguments.of("{\"app_id\":\"" + "i".repeat(50) + "\",\"app_key\":\"" + "k".repeat(100) + "\"}", "i".repeat(50), "k".repeat(100)),
                Arguments.of("{\"app_id\":\"caf\\u00e9\",\"app_key\":\"s p a c e\"}", "caf\u00e9", "s p a c e"));
    }

    @ParameterizedTest
    @MethodSource("goodRequests")
    void parseWhenValidThenClientCredentialsWithPostedSecret(String body, String id, String key) {
        TokenCall call = camel.parse(json(PATH, body));
        assertEquals(new ClientAuth(id, Optional.of(key), ClientAuth.Method.CLIENT_SECRET_POST), call.client());
        assertEquals(Optional.of(key), call.client().secret());
        assertEquals(new TokenRequest.ClientCredentials(Optional.empty()), call.request());
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("{}", List.of(p("app_id", Kind.MISSING), p("app_key", Kind.MISSING))),
                Arguments.of("{\"app_id\":\"a\"}", List.of(p("app_key", Kind.MISSING))),
                Arguments.of("{\"app_key\":\"k\"}", List.of(p("app_id", Kind.MISSING))),
                Arguments.of("{\"app_id\":\"\",\"app_key\":\"k\"}", List.of(p("app_id", Kind.MISSING))),
                Arguments.of("{\"app_id\":123,\"app_key\":\"k\"}", List.of(p("app_id", Kind.WRONG_TYPE))),
                Arguments.of("{\"app_id\":null,\"app_key\":\"k\"}", List.of(p("app_id", Kind.WRONG_TYPE))),
                Arguments.of("{\"app_id\":[],\"app_key\":{}}", List.of(p("app_id", Kind.WRONG_TYPE), p("app_key", Kind.WRONG_TYPE))),
                Arguments.of("{\"app_id\":true,\"app_secret\":1.5}", List.of(p("app_id", Kind.WRONG_TYPE), p("app_secret", Kind.WRONG_TYPE))),
                Arguments.of("{\"app_id\":\"" + "i".repeat(51) + "\",\"app_key\":\"k\"}", List.of(p("app_id", Kind.TOO_LONG))),
                Arguments.of("{\"app_id\":\"a\",\"app_key\":\"" + "k".repeat(101) + "\"}", List.of(p("app_key", Kind.TOO_LONG))),
                Arguments.of("{\"app_id\":\"a\\u0000b\",\"app_key\":\"k\"}", List.of(p("app_id", Kind.MALFORMED))),
                Arguments.of("{\"app_id\":\"a\\r\\nb\",\"app_key\":\"k\"}", List.of(p("app_id", Kind.MALFORMED))),
                Arguments.of("{\"app_id\":\"a\",\"app_key\":\"k\\n\"}", List.of(p("app_key", Kind.MALFORMED))),
                Arguments.of("{\"app_id\":\"a\",\"app_key\":\"k\",\"app_secret\":\"k\"}", List.of(p("app_key", Kind.REPEATED))),
                Arguments.of("{\"app_id\":\"a\",\"app_id\":\"b\",\"app_key\":\"k\"}", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("{\"app_id\":\"a\",\"app_key\":\"k\"} x", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("\uFEFF{\"app_id\":\"a\",\"app_key\":\"k\"}", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("{\"app_id\":\"a\",", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("null", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("[]", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("\"app_id\"", List.of(p("body", Kind.SYNTAX))),
                Arguments.of("[".repeat(10_000), List.of(p("body", Kind.SYNTAX))));
    }

    static FieldProblem p(String field, Kind kind) {
        return new FieldProblem(field, kind, "");
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void parseWhenBadThenInvalidRequestNamingEveryField(String body, List<FieldProblem> expected) {
        List<FieldProblem> got = problems(camel, json(PATH, body));
        assertEquals(expected.stream().map(x -> x.field() + ":" + x.kind()).toList(),
                got.stream().map(x -> x.field() + ":" + x.kind()).toList());
        for (FieldProblem g : got) {
            assertFalse(g.message().contains("coupang") || g.message().contains("\u0000"), g.message());
        }
    }

    @Test
    void parseWhenNotJsonContentTypeThenMediaTypeProblem() {
        byte[] b = "{\"app_id\":\"a\",\"app_key\":\"k\"}".getBytes(StandardCharsets.UTF_8);
        for (String ct : new String[]{null, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"}) {
            assertEquals(Kind.MEDIA_TYPE, problems(camel, request(PATH, ct, b)).getFirst().kind());
        }
        assertEquals("a", camel.parse(request(PATH, "Application/JSON; charset=utf-8", b)).client().clientId());
    }

    @Test
    void successWhenCamelCaseThenSpecExampleShape() {
        WebResponse r = camel.success(result("coupang", "eyJ.a.b", 3600));
        assertEquals(200, r.status());
        assertEquals("{\"appId\":\"coupang\",\"accessToken\":\"Bearer eyJ.a.b\",\"expiresIn\":3600,\"statusCode\":200,\"errMsg\":null}", body(r));
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void successWhenSnakeCaseThenParameterTableNames() {
        AppKeyDialect snake = new AppKeyDialect(AppKeyDialect.Naming.SNAKE_CASE, AppKeyDialect.HttpStatus.MIRROR);
        assertEquals("{\"app_id\":\"coupang\",\"access_token\":\"Bearer t\",\"expires_in\":3600,\"status_code\":200,\"err_msg\":null}",
                body(snake.success(result("coupang", "t", 3600))));
    }

    static final Map<String, Object[]> ERRORS = Map.ofEntries(
            Map.entry("InvalidRequest", new Object[]{400, "Something is wrong"}),
            Map.entry("InvalidClient", new Object[]{401, "Illegal id"}),
            Map.entry("InvalidGrant", new Object[]{400, "Invalid grant"}),
            Map.entry("UnauthorizedClient", new Object[]{403, "The app is not allowed to obtain access tokens"}),
            Map.entry("UnsupportedGrantType", new Object[]{400, "Unsupported grant_type"}),
            Map.entry("UnsupportedResponseType", new Object[]{400, "Unsupported response_type"}),
            Map.entry("InvalidRequestObject", new Object[]{400, "The request object is expired"}),
            Map.entry("RequestUriNotSupported", new Object[]{400, "request_uri is not supported"}),
            Map.entry("InvalidScope", new Object[]{403, "The app has no access to the requested scope"}),
            Map.entry("AccessDenied", new Object[]{403, "Access denied"}),
            Map.entry("LoginRequired", new Object[]{403, "Login required"}),
            Map.entry("ConsentRequired", new Object[]{403, "Consent required"}),
            Map.entry("UnmetAuthenticationRequirements", new Object[]{403, "Unmet acr"}),
            Map.entry("InvalidToken", new Object[]{401, "Illegal id"}),
            Map.entry("TemporarilyUnavailable", new Object[]{503, "Try again later"}),
            Map.entry("TooManyAttempts", new Object[]{429, "Too many failed attempts; retry later"}),
            Map.entry("ServerError", new Object[]{500, "Internal error (ref r-1)"}));

    @Test
    void errorWhenAnyVariantThenEnvelopeWithMirroredStatus() {
        assertEveryVariantCovered(ERRORS.keySet());
        everyError().forEach((name, error) -> {
            int status = (int) ERRORS.get(name)[0];
            String msg = (String) ERRORS.get(name)[1];
            WebResponse r = camel.error(error, json(PATH, "{}"));
            assertEquals(status, r.status(), name);
            assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":" + status
                    + ",\"errMsg\":\"" + msg + "\"}", body(r), name);
            assertEquals("no-store", r.header("Cache-Control"));
            assertEquals(hasRetryAfter(name) ? "7" : null, r.header("Retry-After"), name);
        });
    }

    @Test
    void errorWhenAlways200ThenHttp200AndStatusInBody() {
        AppKeyDialect d = new AppKeyDialect(AppKeyDialect.Naming.SNAKE_CASE, AppKeyDialect.HttpStatus.ALWAYS_200);
        WebResponse r = d.error(new OAuthError.InvalidClient("x", OAuthError.ClientAuthMethodHint.POST), json(PATH, "{}"));
        assertEquals(200, r.status());
        assertEquals("{\"app_id\":null,\"access_token\":null,\"expires_in\":null,\"status_code\":401,\"err_msg\":\"Illegal id\"}", body(r));
    }

    @Test
    void errorWhenBodyTooLargeThen400() {
        WebResponse r = camel.error(OAuthError.InvalidRequest.of("body", Kind.BODY, "The request body is too large"), json(PATH, ""));
        assertEquals(400, r.status());
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":400,\"errMsg\":\"The request body is too large\"}", body(r));
    }

    @Test
    void errorWhenSeveralProblemsThenAllNamedInErrMsg() {
        WebResponse r = camel.error(camelProblems("{\"app_id\":5}"), json(PATH, "{}"));
        assertEquals("{\"appId\":null,\"accessToken\":null,\"expiresIn\":null,\"statusCode\":400,"
                + "\"errMsg\":\"app_id must be a string; app_key is required\"}", body(r));
    }

    OAuthError camelProblems(String body) {
        return assertThrows(io.gatehouse.core.error.OAuthException.class, () -> camel.parse(json(PATH, body))).error();
    }
}
