package io.gatehouse.admin.console;

import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static io.gatehouse.http.Html.esc;

/**
 * The console's page frame: navigation, the sign-out form, a one-time message, the stylesheet and script as static
 * files (so the CSP needs no inline anything), and the headers every console answer carries.
 */
final class ConsolePage {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    static final String CSRF = "csrf";
    private static final String[][] NAV = {{"", "Dashboard"}, {"/clients", "Clients"}, {"/users", "Users"},
            {"/keys", "Keys"}, {"/audit", "Audit log"}};

    private ConsolePage() {
    }

    /** A page of the signed-in console; {@code section} is the path under /admin of the nav entry to highlight. */
    static WebResponse page(int status, ConsoleSessions.Session s, String section, String title, String body) {
        StringBuilder b = new StringBuilder(4096 + body.length());
        head(b, title);
        b.append("<header class=\"top\"><a class=\"brand\" href=\"").append(Console.BASE).append("\">Gatehouse admin</a><nav>");
        for (String[] n : NAV) {
            b.append("<a href=\"").append(Console.BASE).append(n[0]).append('"')
                    .append(n[0].equals(section) ? " aria-current=\"page\"" : "").append('>').append(n[1]).append("</a>");
        }
        b.append("</nav><form method=\"post\" action=\"").append(Console.BASE).append("/logout\" class=\"signout\">")
                .append(csrfField(s)).append("<button type=\"submit\" class=\"link\">Sign out ")
                .append(esc(s.username)).append("</button></form></header><main>");
        s.takeFlash().ifPresent(f -> b.append("<p class=\"flash\" role=\"status\">").append(esc(f)).append("</p>"));
        b.append("<h1>").append(esc(title)).append("</h1>").append(body).append("</main></body></html>");
        return html(status, b.toString());
    }

    /** A page outside a session (refusals, errors). */
    static WebResponse plain(int status, String title, String message) {
        StringBuilder b = new StringBuilder();
        head(b, title);
        b.append("<main class=\"narrow\"><p class=\"brand\">Gatehouse admin</p><h1>").append(esc(title)).append("</h1><p>")
                .append(esc(message)).append("</p><p><a href=\"").append(Console.BASE).append("\">Sign in again</a></p></main></body></html>");
        return html(status, b.toString());
    }

    /** A confirmation step before a change: the form posts to {@code action}; Cancel goes back to {@code back}. */
    static WebResponse confirm(ConsoleSessions.Session s, String section, String title, String question, String action,
                               String button, String back) {
        return page(200, s, section, title, "<div class=\"card confirm\"><p>" + question + "</p><form method=\"post\" action=\""
                + esc(action) + "\">" + csrfField(s) + "<div class=\"actions\"><button type=\"submit\" class=\"danger\">"
                + esc(button) + "</button><a class=\"button secondary\" href=\"" + esc(back) + "\">Cancel</a></div></form></div>");
    }

    static String csrfField(ConsoleSessions.Session s) {
        return "<input type=\"hidden\" name=\"" + CSRF + "\" value=\"" + esc(s.csrf) + "\">";
    }

    /** A button that posts (with the CSRF token) to {@code action}. */
    static String postButton(ConsoleSessions.Session s, String action, String label, String cls) {
        return "<form method=\"post\" action=\"" + esc(action) + "\" class=\"inline\">" + csrfField(s)
                + "<button type=\"submit\" class=\"" + cls + "\">" + esc(label) + "</button></form>";
    }

    static String link(String href, String label, String cls) {
        return "<a class=\"" + cls + "\" href=\"" + esc(href) + "\">" + esc(label) + "</a>";
    }

    static WebResponse redirect(String location) {
        return secure(WebResponse.empty(303).with("Location", location));
    }

    static WebResponse secure(WebResponse r) {
        return r.with("Content-Security-Policy", CSP).with("X-Frame-Options", "DENY")
                .with("Referrer-Policy", "no-referrer").with("X-Content-Type-Options", "nosniff")
                .with("Cache-Control", "no-store").with("Pragma", "no-cache");
    }

    static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    private static void head(StringBuilder b, String title) {
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\"><title>").append(esc(title))
                .append(" · Gatehouse admin</title><link rel=\"stylesheet\" href=\"").append(Console.STATIC).append("console.css\">")
                .append("<script src=\"").append(Console.STATIC).append("console.js\" defer></script></head><body>");
    }

    private static WebResponse html(int status, String html) {
        return secure(WebResponse.of(status, WebResponse.HTML_UTF8, html.getBytes(StandardCharsets.UTF_8)));
    }
}
