package io.gatehouse.core;

import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * OIDC Core §5.4: which user claims each scope releases. {@code profile}: name, preferred_username,
 * updated_at and the user's other standard profile claims; {@code email}: email, email_verified;
 * {@code phone}: phone_number, phone_number_verified; {@code address}: address. Custom claims (not
 * standard) are released with {@code profile}.
 */
public final class UserClaims {
    public static final Set<String> SCOPES = Set.of("openid", "profile", "email", "phone", "address", "offline_access");
    static final Set<String> PROFILE = Set.of("given_name", "family_name", "middle_name", "nickname", "profile",
            "picture", "website", "gender", "birthdate", "zoneinfo", "locale");
    static final Set<String> PHONE = Set.of("phone_number", "phone_number_verified");

    private UserClaims() {
    }

    /** Claims the scope allows, without {@code sub}. */
    public static Map<String, Object> forScope(User user, Scope scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean profile = scope.contains("profile");
        if (profile) {
            user.name().ifPresent(n -> out.put("name", n));
            out.put("preferred_username", user.username());
        }
        if (scope.contains("email") && user.email().isPresent()) {
            out.put("email", user.email().get());
            out.put("email_verified", user.emailVerified());
        }
        for (Map.Entry<String, String> e : user.claims().entrySet()) {
            String k = e.getKey();
            boolean release = PHONE.contains(k) ? scope.contains("phone")
                    : k.equals("address") ? scope.contains("address")
                    : profile;
            if (release) out.put(k, k.endsWith("_verified") ? (Object) Boolean.parseBoolean(e.getValue()) : e.getValue());
        }
        if (profile) out.put("updated_at", user.updatedAt().getEpochSecond());
        return out;
    }

    /** Every claim name that can be released, for discovery. */
    public static java.util.List<String> supported() {
        java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of("sub", "iss", "aud", "exp", "iat", "auth_time",
                "nonce", "azp", "at_hash", "name", "preferred_username", "updated_at", "email", "email_verified"));
        l.addAll(PROFILE.stream().sorted().toList());
        l.addAll(PHONE.stream().sorted().toList());
        l.add("address");
        return l;
    }
}
