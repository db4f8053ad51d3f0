package io.gatehouse.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The browser side of the login flow: the session cookie (HttpOnly, SameSite=Lax, Secure when the issuer
 * is https), redirects, and CSRF token checks.
 */
public final class Browser {
    public static final String COOKIE = "gh_session";

    private final boolean secureCookies;

    public Browser(String issuer) {
        this.secureCookies = issuer.startsWith("https://");
    }

    /** The session cookie value, if the request carries exactly one well-formed one. */
    public static Optional<String> cookie(WebRequest req) {
        String found = null;
        for (String header : req.headerValues("cookie")) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    String v = p.substring(COOKIE.length() + 1);
                    if (found != null && !found.equals(v)) return Optional.empty();
                    found = v;
                }
            }
        }
        if (found == null || found.isEmpty() || found.length() > 100 || !found.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        return Optional.of(found);
    }

    public WebResponse setCookie(WebResponse r, String value) {
        return r.with("Set-Cookie", COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : ""));
    }

    public WebResponse clearCookie(WebResponse r) {
        return r.with("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : ""));
    }

    /** A redirect to {@code uri} with query parameters appended (keeping any query the URI has). */
    public static WebResponse redirect(int status, String uri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(uri);
        char sep = uri.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        return Html.secure(WebResponse.empty(status).with("Location", b.toString()));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Constant-time comparison of a submitted CSRF token with the expected one. */
    public static boolean csrfMatches(Optional<String> submitted, String expected) {
        return submitted.isPresent() && MessageDigest.isEqual(submitted.get().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
