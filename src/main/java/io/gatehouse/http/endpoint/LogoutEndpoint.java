package io.gatehouse.http.endpoint;

import io.gatehouse.core.LoginService;
import io.gatehouse.core.RedirectUris;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Html;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.http.Html.esc;
import static io.gatehouse.http.Params.*;

/**
 * GET/POST /oauth2/logout, OIDC RP-Initiated Logout 1.0. With an id_token_hint for the signed-in user the
 * session ends at once; otherwise the user confirms on a page (a CSRF-protected POST), so a third-party
 * page cannot sign anyone out. post_logout_redirect_uri must match one registered for the client exactly;
 * a wrong one gets an error page, never a redirect.
 */
public final class LogoutEndpoint implements Endpoint {
    public static final String PATH = "/oauth2/logout";

    private final LoginService logins;
    private final ClientRepository clients;
    private final AccessTokenValidator validator;
    private final Browser browser;

    public LogoutEndpoint(LoginService logins, ClientRepository clients, AccessTokenValidator validator, Browser browser) {
        this.logins = logins;
        this.clients = clients;
        this.validator = validator;
        this.browser = browser;
    }

    @Override
    public WebResponse unavailable(long retryAfterSeconds) {
        return Html.unavailable(retryAfterSeconds);
    }

    @Override
    public WebResponse handle(WebRequest req) {
        try {
            Form f = FlowSupport.form(req);
            for (String n : List.of(ID_TOKEN_HINT, POST_LOGOUT_REDIRECT_URI, STATE, CLIENT_ID, CSRF)) {
                if (f.all(n).size() > 1) return Html.error(400, "Invalid request", "Parameter '" + n + "' is repeated.");
            }
            Optional<String> hintSub = Optional.empty();
            Optional<String> clientId = one(f, CLIENT_ID);
            Optional<String> hint = one(f, ID_TOKEN_HINT);
            if (hint.isPresent()) {
                Optional<Map<String, Object>> claims = validator.verifiedClaims(hint.get(), "JWT");
                if (claims.isEmpty() || !(claims.get().get("aud") instanceof String aud) || !(claims.get().get("sub") instanceof String sub)) {
                    return Html.error(400, "Cannot sign out", "The id_token_hint is not valid.");
                }
                if (clientId.isPresent() && !clientId.get().equals(aud)) {
                    return Html.error(400, "Cannot sign out", "client_id does not match the id_token_hint.");
                }
                clientId = Optional.of(aud);
                hintSub = Optional.of(sub);
            }
            Optional<String> target = one(f, POST_LOGOUT_REDIRECT_URI);
            if (target.isPresent()) {
                Optional<Client> client = clientId.filter(ClientId::isValid).flatMap(id -> clients.find(new ClientId(id)));
                if (client.isEmpty() || !RedirectUris.exact(client.get().postLogoutRedirectUris(), target.get())) {
                    return Html.error(400, "Cannot sign out", "The post_logout_redirect_uri is not registered for this client.");
                }
            }
            Optional<String> cookie = Browser.cookie(req);
            Optional<Session> session = logins.session(cookie);
            boolean confirmed = hintSub.isPresent() && session.isPresent() && hintSub.get().equals(session.get().userId());
            if (!confirmed && session.isPresent()) {
                if (!req.method().equals("POST")) return confirmPage(cookie.get(), f);
                FlowSupport.checkCsrf(req, f);
            }
            logins.logout(cookie);
            WebResponse done;
            if (target.isPresent()) {
                Map<String, String> p = new LinkedHashMap<>();
                one(f, STATE).ifPresent(s -> p.put(STATE, s));
                done = Browser.redirect(req.method().equals("POST") ? 303 : 302, target.get(), p);
            } else {
                done = Html.page(200, "Signed out", "<h1>You are signed out</h1><p class=\"sub\">You can close this page.</p>");
            }
            return cookie.isPresent() ? browser.clearCookie(done) : done;
        } catch (FlowSupport.Stop s) {
            return s.response;
        }
    }

    private WebResponse confirmPage(String cookie, Form f) {
        StringBuilder b = new StringBuilder("<h1>Sign out?</h1><p class=\"sub\">You will be signed out of Gatehouse.</p>")
                .append("<form method=\"post\" action=\"").append(PATH).append("\">")
                .append(hidden(CSRF, LoginService.csrfToken(cookie)));
        for (String n : List.of(POST_LOGOUT_REDIRECT_URI, STATE, CLIENT_ID)) {
            one(f, n).ifPresent(v -> b.append(hidden(n, v)));
        }
        if (one(f, CLIENT_ID).isEmpty()) {
            one(f, ID_TOKEN_HINT).flatMap(h -> validator.verifiedClaims(h, "JWT"))
                    .map(c -> c.get("aud")).filter(a -> a instanceof String).ifPresent(a -> b.append(hidden(CLIENT_ID, (String) a)));
        }
        b.append("<button type=\"submit\">Sign out</button></form>");
        return Html.page(200, "Sign out", b.toString());
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    private static Optional<String> one(Form f, String n) {
        List<String> v = f.all(n);
        return v.isEmpty() || v.getFirst().isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }
}
