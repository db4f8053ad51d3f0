package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthError.FieldProblem.Kind;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.http.Params.*;

/**
 * Seed 001, "Get Access Token": {@code {grant_type, scope, client_id, client_secret}} as JSON in, all four
 * required strings with the spec's lengths; the RFC 6749 success body out; errors as a JSON array with one
 * problem object whose {@code errorCode} comes from {@link #errorCode} (documented in docs/dialects.md).
 */
public final class JsonClientCredentialsDialect implements TokenDialect {
    public static final String NAME = "json-client-credentials";
    public static final int MAX_GRANT_TYPE = 50;
    public static final int MAX_SCOPE = 50;
    public static final int MAX_CLIENT_ID = 50;
    public static final int MAX_CLIENT_SECRET = 100;
    public static final String BAD_CREDENTIALS = "Invalid client credentials or scope";
    public static final String TOO_MANY_ATTEMPTS = "Too many failed attempts; retry later";
    static final String DETAIL = "Please refer to invalid-params for error details";

    private final String source;

    /** @param source the {@code source} of every problem object (the spec's "AGT") */
    public JsonClientCredentialsDialect(String source) {
        this.source = source;
    }

    @Override
    public TokenCall parse(WebRequest req) {
        JsonFields f = JsonFields.of(req);
        // Problems are reported in field order; every field is checked before failing.
        Optional<String> grant = f.required(GRANT_TYPE, MAX_GRANT_TYPE);
        if (grant.isPresent() && GrantType.fromWire(grant.get()).filter(g -> g == GrantType.CLIENT_CREDENTIALS).isEmpty()) {
            f.problem(GRANT_TYPE, Kind.UNSUPPORTED_VALUE, "grant_type must be client_credentials");
        }
        Optional<String> scope = f.required(SCOPE, MAX_SCOPE);
        Scope parsed = null;
        if (scope.isPresent()) {
            try {
                parsed = Scope.parse(scope.get());
            } catch (IllegalArgumentException e) {
                f.problem(SCOPE, Kind.MALFORMED, "scope must be space-separated scope values");
            }
        }
        Optional<String> id = f.required(CLIENT_ID, MAX_CLIENT_ID);
        Optional<String> secret = f.required(CLIENT_SECRET, MAX_CLIENT_SECRET);
        f.throwIfAny();
        return new TokenCall(new ClientAuth(id.orElseThrow(), secret, ClientAuth.Method.CLIENT_SECRET_POST),
                new TokenRequest.ClientCredentials(Optional.of(parsed)));
    }

    @Override
    public WebResponse success(TokenResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ACCESS_TOKEN, r.accessToken());
        body.put(TOKEN_TYPE, r.tokenType());
        body.put(EXPIRES_IN, r.expiresIn());
        return WebResponse.json(200, Json.write(body)).noStore();
    }

    /** One problem: status, error code, and the invalid-params lines. */
    record Problem(int status, String errorCode, List<String> invalidParams) {
    }

    static Problem problem(OAuthError error) {
        return switch (error) {
            case OAuthError.InvalidRequest e -> e.problems().isEmpty()
                    ? new Problem(400, "240000", List.of(e.description()))
                    : new Problem(e.problems().stream().anyMatch(p -> p.kind() == Kind.BODY) ? 413 : 400,
                            errorCode(e.problems().getFirst().kind()),
                            e.problems().stream().map(FieldProblem::message).toList());
            case OAuthError.UnsupportedGrantType e -> new Problem(400, errorCode(Kind.UNSUPPORTED_VALUE),
                    List.of("grant_type must be client_credentials"));
            case OAuthError.InvalidGrant e -> new Problem(400, "240000", List.of(e.description()));
            case OAuthError.UnsupportedResponseType e -> new Problem(400, "240000", List.of(e.description()));
            case OAuthError.InvalidRequestObject e -> new Problem(400, "240000", List.of(e.description()));
            case OAuthError.RequestUriNotSupported e -> new Problem(400, "240000", List.of(e.description()));
            case OAuthError.InvalidClient e -> new Problem(401, "240101", List.of(BAD_CREDENTIALS));
            case OAuthError.InvalidScope e -> new Problem(401, "240101", List.of(BAD_CREDENTIALS));
            case OAuthError.InvalidToken e -> new Problem(401, "240101", List.of(BAD_CREDENTIALS));
            case OAuthError.UnauthorizedClient e -> new Problem(403, "240301", List.of(e.description()));
            case OAuthError.AccessDenied e -> new Problem(403, "240301", List.of(e.description()));
            case OAuthError.LoginRequired e -> new Problem(403, "240301", List.of(e.description()));
            case OAuthError.ConsentRequired e -> new Problem(403, "240301", List.of(e.description()));
            case OAuthError.UnmetAuthenticationRequirements e -> new Problem(403, "240301", List.of(e.description()));
            case OAuthError.TemporarilyUnavailable e -> new Problem(503, "240503", List.of(e.description()));
            case OAuthError.TooManyAttempts e -> new Problem(429, "240429", List.of(TOO_MANY_ATTEMPTS));
            case OAuthError.ServerError e -> new Problem(500, "240500", List.of(e.description()));
        };
    }

    /** The error code table for request validation failures (docs/dialects.md). */
    static String errorCode(Kind kind) {
        return switch (kind) {
            case SYNTAX -> "240001";
            case MEDIA_TYPE -> "240002";
            case MISSING -> "240003";
            case WRONG_TYPE -> "240004";
            case TOO_LONG -> "240005";
            case MALFORMED -> "240006";
            case UNSUPPORTED_VALUE -> "240007";
            case REPEATED -> "240008";
            case BODY -> "240013";
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> throw new IllegalArgumentException("no title for " + status);
        };
    }

    @Override
    public WebResponse error(OAuthError error, WebRequest request) {
        Problem p = problem(error);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", DETAIL);
        body.put("errorCode", p.errorCode());
        body.put("instance", request.path());
        body.put("invalid-params", p.invalidParams());
        body.put("source", source);
        body.put("status", p.status());
        body.put("title", title(p.status()));
        WebResponse res = WebResponse.json(p.status(), Json.write(List.of(body))).noStore();
        if (error instanceof OAuthError.TemporarilyUnavailable tu) {
            res = res.with("Retry-After", Long.toString(tu.retryAfterSeconds()));
        }
        if (error instanceof OAuthError.TooManyAttempts t) {
            res = res.with("Retry-After", Long.toString(t.retryAfterSeconds()));
        }
        return res;
    }
}
