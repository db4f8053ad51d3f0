package io.gatehouse.core.admin;

import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may use the admin API, in one place:
 * <ul>
 * <li>A token for it carries scope {@value #SCOPE} (everything) or {@value #READ_SCOPE} (GET only), and its
 * {@code aud} names the admin API ({@link #audience}). Gatehouse adds that audience to every access token whose
 * scope holds an admin scope (besides the client's own audience), so a client registered with
 * {@code --scope gatehouse:admin} needs nothing else; a token without an admin scope never opens the API.</li>
 * <li>A user is granted an admin scope only with the role {@code admin}: the authorization endpoint refuses others
 * ({@code access_denied}), token issuing drops the scopes from a user who lost the role, and the API checks the
 * role again on every request made with a user's token.</li>
 * </ul>
 */
public final class AdminAccess {
    public static final String SCOPE = "gatehouse:admin";
    public static final String READ_SCOPE = "gatehouse:admin:read";
    /** Appended to the issuer: the admin API's audience. */
    public static final String AUDIENCE_PATH = "/admin/api";

    private AdminAccess() {
    }

    /** The audience of admin API tokens: {@code <issuer>/admin/api}. */
    public static String audience(String issuer) {
        return issuer + AUDIENCE_PATH;
    }

    /** Whether a scope holds {@value #SCOPE} or {@value #READ_SCOPE}. */
    public static boolean isAdminScope(Scope scope) {
        return scope.contains(SCOPE) || scope.contains(READ_SCOPE);
    }

    /** Whether a scope lets its holder read (GET) or, with {@code write}, change through the admin API. */
    public static boolean permits(Scope scope, boolean write) {
        return scope.contains(SCOPE) || !write && scope.contains(READ_SCOPE);
    }

    /** The {@code aud} of an access token: the client's audience, and the admin API's when the scope is an admin one. */
    public static List<String> audiences(String clientAudience, Scope scope, String issuer) {
        if (!isAdminScope(scope)) return List.of(clientAudience);
        String admin = audience(issuer);
        return clientAudience.equals(admin) ? List.of(admin) : List.of(clientAudience, admin);
    }

    /** Whether this user may be granted {@code scope}: admin scopes need the role {@code admin}. */
    public static boolean mayBeGranted(User user, Scope scope) {
        return !isAdminScope(scope) || user.hasRole(Role.ADMIN);
    }

    /** The scope without the admin scopes unless the user has the role {@code admin}. */
    public static Scope forUser(User user, Scope scope) {
        if (mayBeGranted(user, scope)) return scope;
        Set<String> kept = new LinkedHashSet<>(scope.values());
        kept.remove(SCOPE);
        kept.remove(READ_SCOPE);
        return new Scope(kept);
    }
}
