package io.gatehouse.http.endpoint;

import io.gatehouse.core.AuthorizeService;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Form;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.http.Params.*;

/** Authorization request parameters: wire form to core request, and the continue query used after sign-in. */
final class AuthorizeParams {
    static final String AUTHORIZE_PATH = "/oauth2/authorize";
    static final int MAX_QUERY = 16 * 1024;

    private AuthorizeParams() {
    }

    /** The parameters this server reads; others (ui_locales, display, an RP's own extras) are ignored, even repeated. */
    static final Set<String> KNOWN = Set.of(CLIENT_ID, REDIRECT_URI, RESPONSE_TYPE, SCOPE, STATE, NONCE, CODE_CHALLENGE,
            CODE_CHALLENGE_METHOD, PROMPT, MAX_AGE, LOGIN_HINT, RESPONSE_MODE, CLAIMS, REQUEST, REQUEST_URI);

    /** Checks an authorization request sent as this form (a query or a POST body). */
    static AuthorizeService.Checked validate(AuthorizeService authorize, Form f) {
        return authorize.validate(request(f), object -> request(Form.of(object)));
    }

    static AuthorizeService.Request request(Form f) {
        Set<String> repeated = new HashSet<>();
        for (String n : f.names()) {
            if (f.all(n).size() > 1 && KNOWN.contains(n)) repeated.add(n);
        }
        return new AuthorizeService.Request(one(f, CLIENT_ID), one(f, REDIRECT_URI), one(f, RESPONSE_TYPE), one(f, SCOPE),
                one(f, STATE), one(f, NONCE), one(f, CODE_CHALLENGE), one(f, CODE_CHALLENGE_METHOD), one(f, PROMPT),
                one(f, MAX_AGE), one(f, LOGIN_HINT), one(f, RESPONSE_MODE), one(f, REQUEST), one(f, REQUEST_URI), repeated,
                ClaimsJson.parse(one(f, CLAIMS)));
    }

    private static Optional<String> one(Form f, String name) {
        List<String> v = f.all(name);
        return v.isEmpty() || v.getFirst().isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /**
     * The parameters the sign-in and consent pages continue with: a request object's, once verified (only they count,
     * and the object need not be verified again, nor still be valid, when the user comes back), else the form's.
     */
    static Form shown(AuthorizeService.Valid v, Form f) {
        return v.requestObject().map(Form::of).orElse(f);
    }

    /**
     * The query to continue the authorization with after a page: the same parameters, minus the prompt values
     * (and max_age after a sign-in) that the page has just satisfied.
     */
    static String continueQuery(Form f, boolean signedIn, boolean consented) {
        StringBuilder b = new StringBuilder();
        for (String n : f.names()) {
            if (signedIn && n.equals(MAX_AGE)) continue;
            for (String v : f.all(n)) {
                String value = v;
                if (n.equals(PROMPT)) {
                    List<String> kept = new ArrayList<>();
                    for (String p : v.split(" ")) {
                        if (!(signedIn && p.equals("login")) && !(consented && p.equals("consent"))) kept.add(p);
                    }
                    if (kept.isEmpty()) continue;
                    value = String.join(" ", kept);
                }
                if (!b.isEmpty()) b.append('&');
                b.append(Browser.enc(n)).append('=').append(Browser.enc(value));
            }
        }
        return b.toString();
    }
}
