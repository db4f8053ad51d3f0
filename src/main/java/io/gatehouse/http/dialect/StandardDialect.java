package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.http.Form;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.http.Params.*;

/** RFC 6749 §4/§5: form body in, JSON out, errors as {error, error_description} with RFC statuses. */
public final class StandardDialect implements TokenDialect {
    public static final String NAME = "standard";

    @Override
    public TokenCall parse(WebRequest req) {
        if (!req.mediaType().equals("application/x-www-form-urlencoded")) {
            throw invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        try {
            Form form = Form.parse(req.body());
            Optional<String> grant = form.single(GRANT_TYPE);
            Optional<String> bodyId = form.single(CLIENT_ID);
            Optional<String> bodySecret = form.single(CLIENT_SECRET);
            if (grant.isEmpty()) throw invalidRequest("Missing parameter: grant_type");
            GrantType type = GrantType.fromWire(grant.get()).orElseThrow(() -> new OAuthException(
                    new OAuthError.UnsupportedGrantType("Unsupported grant_type")));
            TokenRequest request = switch (type) {
                case CLIENT_CREDENTIALS -> new TokenRequest.ClientCredentials(scope(form.single(SCOPE)));
                case AUTHORIZATION_CODE -> new TokenRequest.AuthorizationCode(
                        form.single(CODE).orElseThrow(() -> invalidRequest("Missing parameter: code")),
                        form.single(REDIRECT_URI), form.single(CODE_VERIFIER));
                case REFRESH_TOKEN -> new TokenRequest.RefreshToken(
                        form.single(REFRESH_TOKEN).orElseThrow(() -> invalidRequest("Missing parameter: refresh_token")),
                        scope(form.single(SCOPE)));
            };
            ClientAuth auth = ClientAuthParser.parse(req, bodyId, bodySecret);
            return new TokenCall(auth, request);
        } catch (Form.FormException e) {
            throw invalidRequest(e.getMessage());
        }
    }

    static Optional<Scope> scope(Optional<String> raw) {
        if (raw.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Scope.parse(raw.get()));
        } catch (IllegalArgumentException e) {
            throw new OAuthException(new OAuthError.InvalidScope("The scope parameter is malformed or too long"));
        }
    }

    @Override
    public WebResponse success(TokenResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ACCESS_TOKEN, r.accessToken());
        body.put(TOKEN_TYPE, r.tokenType());
        body.put(EXPIRES_IN, r.expiresIn());
        if (!r.scope().isEmpty()) body.put(SCOPE, r.scope().asString());
        r.refreshToken().ifPresent(t -> body.put(REFRESH_TOKEN, t));
        r.idToken().ifPresent(t -> body.put(ID_TOKEN, t));
        return WebResponse.json(200, Json.write(body)).noStore();
    }

    @Override
    public WebResponse error(OAuthError error, WebRequest request) {
        return errorResponse(error);
    }

    /** RFC 6749 §5.2 rendering, shared with the other standard endpoints (introspection, revocation). */
    public static WebResponse errorResponse(OAuthError error) {
        int status = switch (error) {
            case OAuthError.InvalidRequest ir -> ir.problems().stream()
                    .anyMatch(p -> p.kind() == OAuthError.FieldProblem.Kind.BODY) ? 413 : 400;
            case OAuthError.InvalidClient ic -> 401;
            case OAuthError.InvalidToken it -> 401;
            case OAuthError.AccessDenied ad -> 403;
            case OAuthError.TemporarilyUnavailable tu -> 503;
            case OAuthError.TooManyAttempts t -> 429;
            case OAuthError.ServerError se -> 500;
            case OAuthError.InvalidGrant g -> 400;
            case OAuthError.UnauthorizedClient u -> 400;
            case OAuthError.UnsupportedGrantType u -> 400;
            case OAuthError.UnsupportedResponseType u -> 400;
            case OAuthError.InvalidRequestObject o -> 400;
            case OAuthError.RequestUriNotSupported u -> 400;
            case OAuthError.InvalidScope s -> 400;
            case OAuthError.LoginRequired l -> 400;
            case OAuthError.ConsentRequired c -> 400;
            case OAuthError.UnmetAuthenticationRequirements u -> 400;
        };
        Map<String, String> body = new LinkedHashMap<>();
        body.put(ERROR, error.code());
        body.put(ERROR_DESCRIPTION, error.description());
        WebResponse res = WebResponse.json(status, Json.write(body)).noStore();
        if (error instanceof OAuthError.InvalidClient ic && ic.attempted() == OAuthError.ClientAuthMethodHint.BASIC) {
            res = res.with("WWW-Authenticate", "Basic realm=\"gatehouse\", charset=\"UTF-8\"");
        }
        if (error instanceof OAuthError.TemporarilyUnavailable tu) {
            res = res.with("Retry-After", Long.toString(tu.retryAfterSeconds()));
        }
        if (error instanceof OAuthError.TooManyAttempts t) {
            res = res.with("Retry-After", Long.toString(t.retryAfterSeconds()));
        }
        return res;
    }

    static OAuthException invalidRequest(String description) {
        return new OAuthException(new OAuthError.InvalidRequest(description));
    }
}
