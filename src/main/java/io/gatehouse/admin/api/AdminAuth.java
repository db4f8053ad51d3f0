package io.gatehouse.admin.api;

import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.Optional;

/**
 * Who calls the admin API: a Bearer access token of this Gatehouse (RFC 6750 §2.1) for the admin API's audience
 * ({@link AdminAccess}), validated by {@link AccessTokenValidator} like any resource server would. Reads need scope
 * {@code gatehouse:admin:read} or {@code gatehouse:admin}, changes {@code gatehouse:admin}. A token issued to a user
 * (its {@code sub} is not its client) counts only while that user exists and has the role admin. Refusals: 401 with a
 * {@code WWW-Authenticate: Bearer} challenge (no token, or not a valid one), 403 {@code insufficient_scope}.
 */
final class AdminAuth {
    static final String REALM = "gatehouse-admin";

    /** The caller: as the audit log names them ("api (client ci-bot)", "api (user ops)"). */
    record Caller(String actor) {
    }

    private final AccessTokenValidator validator;
    private final AccessTokenValidator.Audience audience;
    private final UserStore users;

    AdminAuth(AccessTokenValidator validator, String issuer, UserStore users) {
        this.validator = validator;
        this.audience = AccessTokenValidator.Audience.of(AdminAccess.audience(issuer));
        this.users = users;
    }

    /**
     * @param write whether the request changes something
     * @throws Problem.Refused 401 or 403
     */
    Caller authenticate(WebRequest req, boolean write) {
        if (req.headerValues("authorization").isEmpty()) {
            throw refused(401, "An access token is required (Authorization: Bearer)", "Bearer realm=\"" + REALM + "\"");
        }
        String token = req.bearer().orElse("");
        AccessTokenValidator.ValidatedToken t;
        try {
            t = validator.require(token, audience);
        } catch (OAuthException e) {
            throw refused(401, e.error().description(), challenge("invalid_token", e.error().description(), null));
        }
        if (!AdminAccess.permits(t.scope(), write)) {
            String needed = write ? AdminAccess.SCOPE : AdminAccess.READ_SCOPE;
            throw refused(403, "The access token lacks the scope " + needed,
                    challenge("insufficient_scope", "The access token lacks the scope " + needed, needed));
        }
        Optional<String> sub = t.subject().filter(s -> !s.equals(t.clientId()));
        if (sub.isEmpty()) return new Caller("api (client " + t.clientId() + ")");
        Optional<User> user = users.find(sub.get());
        if (user.isEmpty() || !user.get().hasRole(Role.ADMIN)) {
            String why = "The token's user no longer has the role admin";
            throw refused(403, why, challenge("insufficient_scope", why, AdminAccess.SCOPE));
        }
        return new Caller("api (user " + user.get().username() + ")");
    }

    private static String challenge(String error, String description, String scope) {
        return "Bearer realm=\"" + REALM + "\", error=\"" + error + "\", error_description=\"" + description.replace("\"", "'")
                + "\"" + (scope == null ? "" : ", scope=\"" + scope + "\"");
    }

    private static Problem.Refused refused(int status, String detail, String challenge) {
        WebResponse r = Problem.of(status, detail).with("WWW-Authenticate", challenge);
        return new Problem.Refused(r);
    }
}
