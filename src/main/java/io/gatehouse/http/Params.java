package io.gatehouse.http;

/** Wire parameter names (RFC 6749, 7009, 7636, 7662, OIDC Core), in one place. */
public final class Params {
    public static final String GRANT_TYPE = "grant_type";
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    public static final String SCOPE = "scope";
    public static final String CODE = "code";
    public static final String REDIRECT_URI = "redirect_uri";
    public static final String CODE_VERIFIER = "code_verifier";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String ACCESS_TOKEN = "access_token";
    public static final String TOKEN_TYPE = "token_type";
    public static final String EXPIRES_IN = "expires_in";
    public static final String ID_TOKEN = "id_token";
    public static final String ERROR = "error";
    public static final String ERROR_DESCRIPTION = "error_description";
    public static final String RESPONSE_TYPE = "response_type";
    public static final String RESPONSE_MODE = "response_mode";
    public static final String STATE = "state";
    public static final String NONCE = "nonce";
    public static final String CODE_CHALLENGE = "code_challenge";
    public static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
    public static final String PROMPT = "prompt";
    public static final String MAX_AGE = "max_age";
    public static final String LOGIN_HINT = "login_hint";
    public static final String CLAIMS = "claims";
    public static final String REQUEST = "request";
    public static final String REQUEST_URI = "request_uri";
    public static final String TOKEN = "token";
    public static final String TOKEN_TYPE_HINT = "token_type_hint";
    public static final String ID_TOKEN_HINT = "id_token_hint";
    public static final String POST_LOGOUT_REDIRECT_URI = "post_logout_redirect_uri";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    /** The login/consent/logout forms' CSRF token and continue-query fields. */
    public static final String CSRF = "csrf";
    public static final String CONTINUE = "q";
    public static final String DECISION = "decision";

    private Params() {
    }
}
