package io.gatehouse.http.endpoint;

import io.gatehouse.core.AuthorizeService;
import io.gatehouse.core.model.Session;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Html;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Metrics.AuthorizeOutcome;
import io.gatehouse.http.Params;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.Optional;

/**
 * GET/POST /oauth2/authorize. An unknown client or unregistered redirect URI gets an error page; other
 * errors and the code go to the redirect URI (302) with state and iss; sign-in and consent are pages.
 */
public final class AuthorizeEndpoint implements Endpoint {
    private final FlowSupport flow;
    private final LoginPage login;
    private final ConsentPage consent;

    AuthorizeEndpoint(FlowSupport flow, LoginPage login, ConsentPage consent) {
        this.flow = flow;
        this.login = login;
        this.consent = consent;
    }

    public static AuthorizeEndpoint create(AuthorizeService authorize, io.gatehouse.core.LoginService logins, Browser browser,
                                           Metrics metrics) {
        FlowSupport flow = new FlowSupport(authorize, logins, browser, metrics);
        return new AuthorizeEndpoint(flow, new LoginPage(flow), new ConsentPage(flow));
    }

    public LoginPage loginPage() {
        return login;
    }

    public ConsentPage consentPage() {
        return consent;
    }

    @Override
    public WebResponse unavailable(long retryAfterSeconds) {
        return Html.unavailable(retryAfterSeconds);
    }

    @Override
    public WebResponse handle(WebRequest req) {
        try {
            Form form = FlowSupport.form(req);
            AuthorizeService.Valid v = FlowSupport.valid(AuthorizeParams.validate(flow.authorize, form), 302);
            Optional<String> cookie = Browser.cookie(req);
            Optional<Session> session = flow.logins.session(cookie);
            return switch (flow.authorize.decide(v, session)) {
                case AuthorizeService.Outcome.Fatal f -> {
                    flow.metrics.authorize(AuthorizeOutcome.ERROR_PAGE);
                    yield Html.error(400, "Cannot continue", f.message());
                }
                case AuthorizeService.Outcome.Redirect r -> {
                    flow.metrics.authorize(r.params().containsKey(Params.CODE) ? AuthorizeOutcome.CODE : AuthorizeOutcome.ERROR_REDIRECT);
                    yield Browser.redirect(302, r.redirectUri(), r.params());
                }
                case AuthorizeService.Outcome.Login l -> {
                    flow.metrics.authorize(AuthorizeOutcome.LOGIN);
                    yield login.render(cookie, l.request(), AuthorizeParams.shown(v, form), Optional.empty(), l.request().loginHint());
                }
                case AuthorizeService.Outcome.Consent c -> {
                    flow.metrics.authorize(AuthorizeOutcome.CONSENT);
                    yield consent.render(cookie.orElseThrow(), c.request(), c.user(), AuthorizeParams.shown(v, form));
                }
            };
        } catch (FlowSupport.Stop s) {
            int status = s.response.status();
            flow.metrics.authorize(status == 302 || status == 303 ? AuthorizeOutcome.ERROR_REDIRECT : AuthorizeOutcome.ERROR_PAGE);
            return s.response;
        }
    }
}
