package io.gatehouse.core;

import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which user claims go where (OIDC Core §5.3 to §5.5). A scope releases its claims (§5.4): {@code profile} name,
 * preferred_username, updated_at, the other standard profile claims and any custom claim; {@code email} email,
 * email_verified; {@code phone} phone_number, phone_number_verified; {@code address} the address object. The code flow
 * always issues an access token, so these claims come from userinfo and not in the ID token (§5.4). The {@code claims}
 * parameter (§5.5) asks for standard claims by name, in the ID token or from userinfo, whatever the scope. A claim the
 * user lacks is left out, never {@code null}; a requested {@code value} or {@code values} never changes what is
 * returned: always the user's real value.
 */
public final class UserClaims {
    public static final Set<String> SCOPES = Set.of("openid", "profile", "email", "phone", "address", "offline_access");
    /** Every standard user claim (§5.1), in the spec's order, with the scope that releases it (§5.4). */
    static final Map<String, String> SCOPE_OF = scopeOf();
    /** Further claims a claims request may name: {@code sub} (which must then match), {@code acr}, {@code auth_time}. */
    static final List<String> AUTHENTICATION = List.of("sub", "auth_time", "acr");

    private UserClaims() {
    }

    private static Map<String, String> scopeOf() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : List.of("name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
                "profile", "picture", "website")) m.put(c, "profile");
        m.put("email", "email");
        m.put("email_verified", "email");
        for (String c : List.of("gender", "birthdate", "zoneinfo", "locale")) m.put(c, "profile");
        m.put("phone_number", "phone");
        m.put("phone_number_verified", "phone");
        m.put("address", "address");
        m.put("updated_at", "profile");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The claim names a claims request is kept with; others are ignored (§5.5). */
    public static Set<String> requestable() {
        Set<String> s = new LinkedHashSet<>(SCOPE_OF.keySet());
        s.addAll(AUTHENTICATION);
        return s;
    }

    /** The user's claims the scope releases, without {@code sub}; custom claims go with {@code profile}. */
    static Map<String, Object> forScope(User user, Scope scope) {
        Map<String, Object> out = all(user);
        out.keySet().removeIf(k -> !scope.contains(SCOPE_OF.getOrDefault(k, "profile")));
        return out;
    }

    /** The user's standard claims named in one member of a claims request (those the user lacks are left out). */
    static Map<String, Object> requested(User user, Map<String, ClaimsRequest.Claim> member) {
        Map<String, Object> out = all(user);
        out.keySet().removeIf(k -> !SCOPE_OF.containsKey(k) || !member.containsKey(k));
        return out;
    }

    /** Userinfo (§5.3): {@code sub}, the claims of the token's scope, and the claims requested for userinfo. */
    public static Map<String, Object> userinfo(User user, Scope scope, ClaimsRequest claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", user.id());
        out.putAll(forScope(user, scope));
        out.putAll(requested(user, claims.userinfo()));
        return out;
    }

    /**
     * The user claims of an ID token issued with an access token (§5.4): only those the claims parameter asks for in
     * {@code id_token}, whatever the scope.
     */
    public static Map<String, Object> idToken(User user, ClaimsRequest claims) {
        return requested(user, claims.idToken());
    }

    /**
     * The scopes that release the user claims of a claims request: the user consents to them as if they had been
     * asked for, so a client learns nothing through {@code claims} that the consent page did not name.
     */
    public static Set<String> scopesOf(ClaimsRequest claims) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : claims.idToken().keySet()) if (SCOPE_OF.containsKey(name)) out.add(SCOPE_OF.get(name));
        for (String name : claims.userinfo().keySet()) if (SCOPE_OF.containsKey(name)) out.add(SCOPE_OF.get(name));
        return out;
    }

    /** Every claim name this server can return, for discovery's {@code claims_supported}. */
    public static List<String> supported() {
        List<String> l = new ArrayList<>(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "azp",
                "at_hash"));
        l.addAll(SCOPE_OF.keySet());
        return l;
    }

    /** Every claim the user has, by name, in a stable order (standard ones, custom ones, then updated_at). */
    private static Map<String, Object> all(User user) {
        Map<String, Object> out = new LinkedHashMap<>();
        user.name().ifPresent(n -> out.put("name", n));
        out.put("preferred_username", user.username());
        user.email().ifPresent(e -> {
            out.put("email", e);
            out.put("email_verified", user.emailVerified());
        });
        user.claims().forEach((k, v) -> out.put(k, k.endsWith("_verified") ? (Object) Boolean.parseBoolean(v) : v));
        user.address().ifPresent(a -> out.put("address", a.members()));
        out.put("updated_at", user.updatedAt().getEpochSecond());
        return out;
    }
}
