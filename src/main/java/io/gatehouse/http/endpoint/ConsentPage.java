package io.gatehouse.http.endpoint;

import io.gatehouse.core.AuthorizeService;
import io.gatehouse.core.LoginService;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.User;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Html;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.Map;
import java.util.Optional;

import static io.gatehouse.http.Html.esc;
import static io.gatehouse.http.Params.*;

/** The consent page (rendered by the authorize endpoint) and POST /consent with Allow or Deny. */
public final class ConsentPage implements Endpoint {
    public static final String PATH = "/consent";
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "openid", "Sign you in with your account",
            "profile", "See your name and basic profile",
            "email", "See your email address",
            "phone", "See your phone number",
            "address", "See your postal address",
            "offline_access", "Keep access while you are not using the application");

    private final FlowSupport flow;

    ConsentPage(FlowSupport flow) {
        this.flow = flow;
    }

    WebResponse render(String cookie, AuthorizeService.Valid v, User user, Form request) {
        String q = AuthorizeParams.continueQuery(request, false, true);
        StringBuilder b = new StringBuilder();
        b.append("<h1>Allow access?</h1><p class=\"sub\"><strong>").append(esc(v.client().id().value()))
                .append("</strong> wants to access your account <strong>").append(esc(user.username()))
                .append("</strong>.</p><p>It will be able to:</p><ul>");
        if (v.consentScope().isEmpty()) b.append("<li>Know that you signed in</li>");
        for (String s : v.consentScope().values()) {
            String d = DESCRIPTIONS.get(s);
            b.append("<li>").append(d != null ? esc(d) : "Use <code>" + esc(s) + "</code>").append("</li>");
        }
        b.append("</ul><form method=\"post\" action=\"").append(PATH).append("\">")
                .append("<input type=\"hidden\" name=\"").append(CSRF).append("\" value=\"")
                .append(esc(LoginService.csrfToken(cookie))).append("\">")
                .append("<input type=\"hidden\" name=\"").append(CONTINUE).append("\" value=\"").append(esc(q)).append("\">")
                .append("<div class=\"row\"><button type=\"submit\" class=\"secondary\" name=\"").append(DECISION)
                .append("\" value=\"deny\">Deny</button><button type=\"submit\" name=\"").append(DECISION)
                .append("\" value=\"allow\">Allow</button></div></form>");
        return Html.page(200, "Allow access", b.toString());
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
            Optional<Session> session = flow.logins.session(Optional.of(cookie));
            Optional<User> user = session.flatMap(flow.logins::user);
            if (user.isEmpty()) return FlowSupport.toAuthorize(c.query());  // signed out meanwhile: sign in again
            String decision = f.all(DECISION).size() == 1 ? f.all(DECISION).getFirst() : "";
            return switch (decision) {
                case "allow" -> {
                    flow.authorize.allow(c.valid(), user.get());
                    yield flow.answer(flow.authorize.decide(c.valid(), session), c);  // the code, unless a page is needed
                }
                case "deny" -> flow.answer(flow.authorize.deny(c.valid()), c);
                default -> Html.error(400, "Invalid request", "Choose Allow or Deny.");
            };
        } catch (FlowSupport.Stop s) {
            return s.response;
        }
    }
}
