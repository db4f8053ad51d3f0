package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem.Kind;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 000, "third-party application obtains access token": {@code {"app_id", "app_key"}} (or its alias
 * {@code app_secret}) as JSON in; one envelope {@code {appId, accessToken: "Bearer <jwt>", expiresIn,
 * statusCode, errMsg}} out, for success and errors alike. The app is a client allowed the
 * client_credentials grant and gets all of its scopes.
 */
public final class AppKeyDialect implements TokenDialect {
    public static final String NAME = "app-key";
    public static final String APP_ID = "app_id";
    public static final String APP_KEY = "app_key";
    public static final String APP_SECRET = "app_secret";
    public static final int MAX_APP_ID = 50;
    public static final int MAX_APP_KEY = 100;
    /** The one answer for an unknown app and a wrong key (the spec's own wording); never echoes input. */
    public static final String ILLEGAL_ID = "Illegal id";
    /** The answer when the app (or the caller's address) has too many recent failures. */
    public static final String TOO_MANY_ATTEMPTS = "Too many failed attempts; retry later";

    /** Field names of the envelope: the spec's example (camelCase) or its parameter table (snake_case). */
    public enum Naming {
        CAMEL_CASE("appId", "accessToken", "expiresIn", "statusCode", "errMsg"),
        SNAKE_CASE("app_id", "access_token", "expires_in", "status_code", "err_msg");

        final String appId, accessToken, expiresIn, statusCode, errMsg;

        Naming(String appId, String accessToken, String expiresIn, String statusCode, String errMsg) {
            this.appId = appId;
            this.accessToken = accessToken;
            this.expiresIn = expiresIn;
            this.statusCode = statusCode;
            this.errMsg = errMsg;
        }
    }

    /** MIRROR: the HTTP status equals statusCode. ALWAYS_200: HTTP 200, the outcome only in statusCode. */
    public enum HttpStatus { MIRROR, ALWAYS_200 }

    private final Naming naming;
    private final HttpStatus httpStatus;

    public AppKeyDialect(Naming naming, HttpStatus httpStatus) {
        this.naming = naming;
        this.httpStatus = httpStatus;
    }

    @Override
    public TokenCall parse(WebRequest req) {
        JsonFields f = JsonFields.of(req);
        Optional<String> appId = f.required(APP_ID, MAX_APP_ID);
        Optional<String> key = Optional.empty();
        if (f.has(APP_KEY) && f.has(APP_SECRET)) {
            f.problem(APP_KEY, Kind.REPEATED, "Send only one of app_key and app_secret");
        } else {
            key = f.required(f.has(APP_SECRET) ? APP_SECRET : APP_KEY, MAX_APP_KEY);
        }
        f.throwIfAny();
        return new TokenCall(new ClientAuth(appId.orElseThrow(), key, ClientAuth.Method.CLIENT_SECRET_POST),
                new TokenRequest.ClientCredentials(Optional.empty()));
    }

    @Override
    public WebResponse success(TokenResult r) {
        return envelope(200, r.clientId().value(), r.tokenType() + " " + r.accessToken(), r.expiresIn(), null);
    }

    @Override
    public WebResponse error(OAuthError error, WebRequest request) {
        int status = switch (error) {
            case OAuthError.InvalidRequest e -> 400;
            case OAuthError.UnsupportedGrantType e -> 400;
            case OAuthError.InvalidGrant e -> 400;
            case OAuthError.UnsupportedResponseType e -> 400;
            case OAuthError.InvalidRequestObject e -> 400;
            case OAuthError.RequestUriNotSupported e -> 400;
            case OAuthError.InvalidClient e -> 401;
            case OAuthError.InvalidToken e -> 401;
            case OAuthError.UnauthorizedClient e -> 403;
            case OAuthError.InvalidScope e -> 403;
            case OAuthError.AccessDenied e -> 403;
            case OAuthError.LoginRequired e -> 403;
            case OAuthError.ConsentRequired e -> 403;
            case OAuthError.UnmetAuthenticationRequirements e -> 403;
            case OAuthError.TemporarilyUnavailable e -> 503;
            case OAuthError.TooManyAttempts e -> 429;
            case OAuthError.ServerError e -> 500;
        };
        String message = switch (error) {
            case OAuthError.InvalidClient e -> ILLEGAL_ID;
            case OAuthError.InvalidToken e -> ILLEGAL_ID;
            case OAuthError.UnauthorizedClient e -> "The app is not allowed to obtain access tokens";
            case OAuthError.InvalidScope e -> "The app has no access to the requested scope";
            case OAuthError.InvalidRequest e -> e.description();
            case OAuthError.UnsupportedGrantType e -> e.description();
            case OAuthError.InvalidGrant e -> e.description();
            case OAuthError.UnsupportedResponseType e -> e.description();
            case OAuthError.InvalidRequestObject e -> e.description();
            case OAuthError.RequestUriNotSupported e -> e.description();
            case OAuthError.AccessDenied e -> e.description();
            case OAuthError.LoginRequired e -> e.description();
            case OAuthError.ConsentRequired e -> e.description();
            case OAuthError.UnmetAuthenticationRequirements e -> e.description();
            case OAuthError.TemporarilyUnavailable e -> e.description();
            case OAuthError.TooManyAttempts e -> TOO_MANY_ATTEMPTS;
            case OAuthError.ServerError e -> e.description();
        };
        WebResponse res = envelope(status, null, null, null, message);
        if (error instanceof OAuthError.TemporarilyUnavailable tu) {
            res = res.with("Retry-After", Long.toString(tu.retryAfterSeconds()));
        }
        if (error instanceof OAuthError.TooManyAttempts t) {
            res = res.with("Retry-After", Long.toString(t.retryAfterSeconds()));
        }
        return res;
    }

    private WebResponse envelope(int statusCode, String appId, String accessToken, Long expiresIn, String errMsg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(naming.appId, appId);
        body.put(naming.accessToken, accessToken);
        body.put(naming.expiresIn, expiresIn);
        body.put(naming.statusCode, statusCode);
        body.put(naming.errMsg, errMsg);
        int http = httpStatus == HttpStatus.ALWAYS_200 ? 200 : statusCode;
        return WebResponse.json(http, Json.write(body)).noStore();
    }
}
