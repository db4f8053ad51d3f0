package io.gatehouse.http.endpoint;

import io.gatehouse.core.AuthorizeService;
import io.gatehouse.core.LoginService;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.User;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Html;
import io.gatehouse.http.Metrics.LoginOutcome;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;

import static io.gatehouse.http.Html.esc;
import static io.gatehouse.http.Params.*;

/**
 * The sign-in page (rendered by the authorize endpoint) and POST /login. Success: a new session id in the cookie and
 * 303 to the client with the code (or back to the authorization request when consent is still needed). Failure: the
 * same page and message for an unknown user and a wrong password.
 */
public final class LoginPage implements Endpoint {
    public static final String PATH = "/login";
    static final String BAD_CREDENTIALS = "Incorrect username or password.";
    static final String BUSY = "Too many sign-ins are being checked right now. Try again in a moment.";

    private final FlowSupport flow;

    LoginPage(FlowSupport flow) {
        this.flow = flow;
    }

    /** The sign-in form for a valid authorization request; sets an anonymous cookie (the CSRF secret) if none. */
    WebResponse render(Optional<String> cookie, AuthorizeService.Valid v, Form request, Optional<String> error,
                       Optional<String> username) {
        return render(200, cookie, v, request, error, username);
    }

    private WebResponse render(int status, Optional<String> cookie, AuthorizeService.Valid v, Form request,
                               Optional<String> error, Optional<String> username) {
        String value = cookie.orElseGet(flow.logins::newAnonymousCookie);
        String q = AuthorizeParams.continueQuery(request, true, false);
        StringBuilder b = new StringBuilder();
        b.append("<h1>Sign in</h1><p class=\"sub\">to continue to <strong>").append(esc(v.client().id().value()))
                .append("</strong></p>");
        error.ifPresent(e -> b.append("<p class=\"error\" role=\"alert\">").append(esc(e)).append("</p>"));
        b.append("<form method=\"post\" action=\"").append(PATH).append("\">")
                .append("<input type=\"hidden\" name=\"").append(CSRF).append("\" value=\"")
                .append(esc(LoginService.csrfToken(value))).append("\">")
                .append("<input type=\"hidden\" name=\"").append(CONTINUE).append("\" value=\"").append(esc(q)).append("\">")
                .append("<label for=\"username\">Username</label>")
                .append("<input type=\"text\" id=\"username\" name=\"").append(USERNAME)
                .append("\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required")
                .append(username.isEmpty() ? " autofocus" : "").append(" value=\"").append(esc(username.orElse(""))).append("\">")
                .append("<label for=\"password\">Password</label>")
                .append("<input type=\"password\" id=\"password\" name=\"").append(PASSWORD)
                .append("\" autocomplete=\"current-password\" required").append(username.isPresent() ? " autofocus" : "").append(">")
                .append("<button type=\"submit\">Sign in</button></form>");
        WebResponse page = Html.page(status, "Sign in", b.toString());
        return cookie.isPresent() ? page : flow.browser.setCookie(page, value);
    }

    @Override
    public WebResponse unavailable(long retryAfterSeconds) {
        return Html.unavailable(retryAfterSeconds);
    }

    @Override
    public WebResponse handle(WebRequest req) {
        try {
            Form f = FlowSupport.form(req);
            String cookie = FlowSupport.checkCsrf(req, f);
            FlowSupport.ContinueRequest c = flow.continued(f);
            Optional<String> username = single(f, USERNAME);
            Optional<String> password = single(f, PASSWORD);
            if (username.isEmpty() || password.isEmpty()) {
                return render(Optional.of(cookie), c.valid(), c.form(), Optional.of("Enter your username and password."),
                        username.filter(User::isValidUsername));
            }
            Optional<User> user;
            try {
                user = flow.logins.authenticate(username.get(), password.get(), req.remoteAddress());
            } catch (OAuthException e) {
                return refused(e.error(), cookie, c, username);
            }
            if (user.isEmpty()) {
                flow.metrics.login(LoginOutcome.FAILURE);
                return render(Optional.of(cookie), c.valid(), c.form(), Optional.of(BAD_CREDENTIALS),
                        username.filter(User::isValidUsername));
            }
            flow.metrics.login(LoginOutcome.SUCCESS);
            LoginService.NewSession s = flow.logins.newSession(user.get());
            // A code is queued, not waited for; storing the session then commits the audit event, the code and the
            // session at once (one durable write), before the browser is told the code.
            AuthorizeService.Outcome next = flow.authorize.decideAtSignIn(c.valid(), s.session(), user.get());
            flow.logins.storeSession(s, Optional.of(cookie));
            return flow.browser.setCookie(flow.answer(next, c), s.cookieValue());
        } catch (FlowSupport.Stop s) {
            return s.response;
        }
    }

    /**
     * The sign-in page again, with a message, when the attempt was not checked: 429 (too many failures for this
     * username or address) or 503 (too many sign-ins being checked), each with Retry-After.
     */
    private WebResponse refused(OAuthError error, String cookie, FlowSupport.ContinueRequest c, Optional<String> username) {
        flow.metrics.login(LoginOutcome.THROTTLED);
        Optional<String> shown = username.filter(User::isValidUsername);
        return switch (error) {
            case OAuthError.TooManyAttempts t -> render(429, Optional.of(cookie), c.valid(), c.form(),
                    Optional.of(tooManyAttempts(t.retryAfterSeconds())), shown)
                    .with("Retry-After", Long.toString(t.retryAfterSeconds()));
            case OAuthError.TemporarilyUnavailable u -> render(503, Optional.of(cookie), c.valid(), c.form(),
                    Optional.of(BUSY), shown).with("Retry-After", Long.toString(u.retryAfterSeconds()));
            default -> throw new OAuthException(error);
        };
    }

    static String tooManyAttempts(long retryAfterSeconds) {
        long minutes = (retryAfterSeconds + 59) / 60;
        return "Too many failed sign-in attempts. Try again in " + (minutes <= 1 ? "a minute." : minutes + " minutes.");
    }

    private static Optional<String> single(Form f, String name) {
        List<String> v = f.all(name);
        return v.size() == 1 && !v.getFirst().isEmpty() ? Optional.of(v.getFirst()) : Optional.empty();
    }
}
