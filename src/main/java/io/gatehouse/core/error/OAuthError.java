package io.gatehouse.core.error;

import java.util.List;

/**
 * Every error the core can report. It carries no HTTP status: each dialect picks its own status and
 * shape, switching over this sealed type with no default so a new variant fails to compile until
 * every dialect handles it. Descriptions never contain secrets.
 */
public sealed interface OAuthError {
    /** RFC 6749 / 6750 / OIDC error code. */
    String code();

    String description();

    /** A malformed request. {@code problems} names the offending fields for dialects that list them. */
    record InvalidRequest(String description, List<FieldProblem> problems) implements OAuthError {
        public InvalidRequest {
            problems = List.copyOf(problems);
        }

        public InvalidRequest(String description) {
            this(description, List.of());
        }

        public static InvalidRequest of(String field, FieldProblem.Kind kind, String description) {
            return new InvalidRequest(description, List.of(new FieldProblem(field, kind, description)));
        }

        public String code() { return "invalid_request"; }
    }

    /** Client authentication failed. {@code attempted} lets a dialect answer with the matching challenge. */
    record InvalidClient(String description, ClientAuthMethodHint attempted) implements OAuthError {
        public String code() { return "invalid_client"; }
    }

    record InvalidGrant(String description) implements OAuthError {
        public String code() { return "invalid_grant"; }
    }

    record UnauthorizedClient(String description) implements OAuthError {
        public String code() { return "unauthorized_client"; }
    }

    record UnsupportedGrantType(String description) implements OAuthError {
        public String code() { return "unsupported_grant_type"; }
    }

    record UnsupportedResponseType(String description) implements OAuthError {
        public String code() { return "unsupported_response_type"; }
    }

    record InvalidScope(String description) implements OAuthError {
        public String code() { return "invalid_scope"; }
    }

    record AccessDenied(String description) implements OAuthError {
        public String code() { return "access_denied"; }
    }

    record LoginRequired(String description) implements OAuthError {
        public String code() { return "login_required"; }
    }

    record ConsentRequired(String description) implements OAuthError {
        public String code() { return "consent_required"; }
    }

    /**
     * OIDC Core §3.1.2.6, RFC 9101 §6.3: the {@code request} parameter holds a request object that cannot be used
     * (malformed, encrypted, badly signed, unsigned for a client not registered for that, expired, for another client).
     */
    record InvalidRequestObject(String description) implements OAuthError {
        public String code() { return "invalid_request_object"; }
    }

    /** OIDC Core §3.1.2.6: {@code request_uri} was sent; Gatehouse takes request objects by value only. */
    record RequestUriNotSupported(String description) implements OAuthError {
        public String code() { return "request_uri_not_supported"; }
    }

    /**
     * OpenID Connect Core Error Code unmet_authentication_requirements 1.0: the client asked, as essential, for an
     * {@code acr} this server cannot assert (OIDC Core §5.5.1.1: a failed authentication attempt).
     */
    record UnmetAuthenticationRequirements(String description) implements OAuthError {
        public String code() { return "unmet_authentication_requirements"; }
    }

    /** RFC 6750: the bearer token is missing, expired, revoked or malformed. */
    record InvalidToken(String description) implements OAuthError {
        public String code() { return "invalid_token"; }
    }

    /**
     * The service cannot answer now: the database is unavailable, or too much password hashing is waiting. Nothing
     * was checked; the caller may retry after {@code retryAfterSeconds}.
     */
    record TemporarilyUnavailable(String description, long retryAfterSeconds) implements OAuthError {
        public String code() { return "temporarily_unavailable"; }
    }

    /**
     * Too many failed authentication attempts for this account, this source address, or both, within the attempt
     * window: refused before any secret was checked (so the answer says nothing about the secret sent). The code is
     * RFC 8628's {@code slow_down}, the registered OAuth error for "you are asking too often"; dialects answer 429 with
     * {@code Retry-After}.
     */
    record TooManyAttempts(String description, long retryAfterSeconds) implements OAuthError {
        public String code() { return "slow_down"; }
    }

    /** Anything unexpected. The description is fixed; details go to the log under the correlation id. */
    record ServerError(String description, String correlationId) implements OAuthError {
        public String code() { return "server_error"; }
    }

    /** Which client authentication the caller tried, so a dialect can send the matching challenge. */
    enum ClientAuthMethodHint { BASIC, POST, NONE }

    /**
     * One bad input field, for dialects that report fields (e.g. problem arrays). The message is fixed text
     * naming the field and never echoes the value.
     */
    record FieldProblem(String field, Kind kind, String message) {
        /**
         * BODY: the body is larger than the server accepts. SYNTAX: the body is not a well-formed document
         * of the expected shape (bad JSON, BOM, duplicate keys, too deep, not an object). MEDIA_TYPE: the
         * Content-Type is not the one the endpoint takes. The others concern one field.
         */
        public enum Kind { MISSING, REPEATED, WRONG_TYPE, TOO_LONG, MALFORMED, UNSUPPORTED_VALUE, BODY, SYNTAX, MEDIA_TYPE }
    }
}
