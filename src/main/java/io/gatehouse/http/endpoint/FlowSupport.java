package io.gatehouse.http.endpoint;

import io.gatehouse.core.AuthorizeService;
import io.gatehouse.core.LoginService;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Form;
import io.gatehouse.http.Html;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Metrics.AuthorizeOutcome;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.Optional;

import static io.gatehouse.http.Params.CODE;
import static io.gatehouse.http.Params.CONTINUE;
import static io.gatehouse.http.Params.CSRF;

/** What the authorize, login and consent endpoints share: form reading, CSRF, continuing the request. */
final class FlowSupport {
    /** A response to send at once instead of going on. */
    static final class Stop extends Exception {
        final transient WebResponse response;

        Stop(WebResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    final AuthorizeService authorize;
    final LoginService logins;
    final Browser browser;
    final Metrics metrics;

    FlowSupport(AuthorizeService authorize, LoginService logins, Browser browser, Metrics metrics) {
        this.authorize = authorize;
        this.logins = logins;
        this.browser = browser;
        this.metrics = metrics;
    }

    /** The form of a browser POST (urlencoded body) or GET (query). */
    static Form form(WebRequest req) throws Stop {
        try {
            if (req.method().equals("POST")) {
                if (req.bodyTooLarge()) throw new Stop(Html.error(413, "Request too large", "The form sent is too large."));
                if (!req.mediaType().equals("application/x-www-form-urlencoded")) {
                    throw new Stop(Html.error(415, "Invalid request", "The form must be sent as application/x-www-form-urlencoded."));
                }
                return Form.parse(req.body());
            }
            if (req.rawQuery().length() > AuthorizeParams.MAX_QUERY) {
                throw new Stop(Html.error(414, "Invalid request", "The request is too long."));
            }
            return Form.parse(req.rawQuery());
        } catch (Form.FormException e) {
            throw new Stop(Html.error(400, "Invalid request", "The request is malformed: " + e.getMessage() + "."));
        }
    }

    /** The cookie value of a form POST whose CSRF token matches it. */
    static String checkCsrf(WebRequest req, Form f) throws Stop {
        Optional<String> cookie = Browser.cookie(req);
        Optional<String> sent = f.all(CSRF).size() == 1 ? Optional.of(f.all(CSRF).getFirst()) : Optional.empty();
        if (cookie.isEmpty() || !Browser.csrfMatches(sent, LoginService.csrfToken(cookie.get()))) {
            throw new Stop(Html.error(403, "Session expired",
                    "This form has expired or was not sent from this site. Go back to the application and start again."));
        }
        return cookie.get();
    }

    /** The continue query of a page form, parsed and checked again. */
    ContinueRequest continued(Form f) throws Stop {
        if (f.all(CONTINUE).size() != 1 || f.all(CONTINUE).getFirst().length() > AuthorizeParams.MAX_QUERY) {
            throw new Stop(Html.error(400, "Invalid request", "The form is missing its authorization request."));
        }
        String q = f.all(CONTINUE).getFirst();
        Form original;
        try {
            original = Form.parse(q);
        } catch (Form.FormException e) {
            throw new Stop(Html.error(400, "Invalid request", "The authorization request is malformed."));
        }
        return new ContinueRequest(q, original, valid(AuthorizeParams.validate(authorize, original), 303));
    }

    record ContinueRequest(String query, Form form, AuthorizeService.Valid valid) {
    }

    /** Fatal: error page; error redirect: redirect; valid: returned. */
    static AuthorizeService.Valid valid(AuthorizeService.Checked c, int redirectStatus) throws Stop {
        return switch (c) {
            case AuthorizeService.Outcome.Fatal f -> throw new Stop(Html.error(400, "Cannot continue", f.message()));
            case AuthorizeService.Outcome.Redirect r -> throw new Stop(Browser.redirect(redirectStatus, r.redirectUri(), r.params()));
            case AuthorizeService.Valid v -> v;
        };
    }

    /**
     * Where the browser goes after a page's form (sign-in, consent): straight back to the client (303 with the code, or
     * with an error such as access_denied) when the authorization can be answered now, as /oauth2/authorize would
     * answer it; otherwise back to /oauth2/authorize, which shows the next page.
     */
    WebResponse answer(AuthorizeService.Outcome next, ContinueRequest c) {
        if (next instanceof AuthorizeService.Outcome.Redirect r) {
            metrics.authorize(r.params().containsKey(CODE) ? AuthorizeOutcome.CODE : AuthorizeOutcome.ERROR_REDIRECT);
            return Browser.redirect(303, r.redirectUri(), r.params());
        }
        return toAuthorize(c.query());
    }

    static WebResponse toAuthorize(String query) {
        return Html.secure(WebResponse.empty(303).with("Location", AuthorizeParams.AUTHORIZE_PATH + "?" + query));
    }
}
