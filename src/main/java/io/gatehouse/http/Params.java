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

    private Params() {
    }
}
