package io.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Server-rendered pages without a template engine: {@link #esc} for every value that goes into HTML, one
 * small inline stylesheet allowed by its hash in the Content-Security-Policy (no 'unsafe-inline', no
 * scripts at all), and the anti-framing and referrer headers on every page.
 */
public final class Html {
    static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;\
            background:#f3f4f6;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827}
            main{width:100%;max-width:380px;margin:24px;background:#fff;border-radius:12px;padding:32px;\
            box-shadow:0 1px 3px rgba(0,0,0,.1),0 8px 24px rgba(0,0,0,.06)}
            h1{font-size:22px;margin:0 0 4px}
            .brand{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:#4f46e5;font-weight:600;margin:0 0 16px}
            .sub{color:#6b7280;margin:0 0 24px;font-size:14px;overflow-wrap:anywhere}
            label{display:block;font-size:14px;font-weight:500;margin:16px 0 6px}
            input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #d1d5db;\
            border-radius:8px;font:inherit}
            input:focus{outline:2px solid #6366f1;outline-offset:1px;border-color:#6366f1}
            button{width:100%;margin-top:24px;padding:11px;border:0;border-radius:8px;background:#4f46e5;color:#fff;\
            font:inherit;font-weight:600;cursor:pointer}
            button:hover{background:#4338ca}
            button.secondary{background:#fff;color:#374151;border:1px solid #d1d5db;margin-top:12px}
            .row{display:flex;gap:12px}.row button{margin-top:24px}
            .error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:8px;padding:10px 12px;\
            font-size:14px;margin:0 0 8px;overflow-wrap:anywhere}
            ul{padding-left:20px;margin:8px 0 0}li{margin:4px 0}
            code{font-size:13px;background:#f3f4f6;padding:1px 4px;border-radius:4px}
            .foot{margin-top:20px;font-size:12px;color:#9ca3af;text-align:center}
            """;
    static final String CSP = "default-src 'none'; style-src '" + sha256(CSS) + "'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private Html() {
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A complete page; {@code bodyHtml} must already be escaped where it holds values. */
    public static WebResponse page(int status, String title, String bodyHtml) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + esc(title) + " · Gatehouse</title><style>" + CSS + "</style></head><body><main>"
                + "<p class=\"brand\">Gatehouse</p>" + bodyHtml + "</main></body></html>";
        return secure(WebResponse.of(status, WebResponse.HTML_UTF8, html.getBytes(StandardCharsets.UTF_8)));
    }

    /** An error page that never redirects. */
    public static WebResponse error(int status, String title, String message) {
        return page(status, title, "<h1>" + esc(title) + "</h1><p class=\"sub\">" + esc(message) + "</p>"
                + "<p class=\"foot\">You can close this page and start again from the application.</p>");
    }

    /** 503 page for a browser while the database is unavailable (see {@link io.gatehouse.http.Unavailable}). */
    public static WebResponse unavailable(long retryAfterSeconds) {
        return error(503, "Temporarily unavailable", "The sign-in service is temporarily unavailable. Please try again in a moment.")
                .with("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** The headers every browser-facing answer carries (pages and redirects). */
    public static WebResponse secure(WebResponse r) {
        return r.with("Content-Security-Policy", CSP).with("X-Frame-Options", "DENY")
                .with("Referrer-Policy", "no-referrer").with("X-Content-Type-Options", "nosniff")
                .with("Cache-Control", "no-store").with("Pragma", "no-cache");
    }

    static String sha256(String s) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
