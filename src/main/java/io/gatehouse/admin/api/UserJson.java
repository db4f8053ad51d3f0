package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.http.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user as the admin API shows it and takes it, never the password or its hash. Read-only fields ({@code username},
 * {@code sub}, {@code demo}, {@code created_at}, {@code updated_at}) may come back in a PATCH unchanged.
 */
final class UserJson {
    static final String SUB = "sub";
    static final String EMAIL_VERIFIED = "email_verified";
    static final String ADDRESS = "address";
    static final String DEMO = "demo";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final Set<String> PROFILE = Set.of(UserAdmin.NAME, UserAdmin.EMAIL, EMAIL_VERIFIED, UserAdmin.CLAIMS, ADDRESS,
            UserAdmin.ROLES);
    static final Set<String> READ_ONLY = Set.of(UserAdmin.USERNAME, SUB, DEMO, CREATED_AT, UPDATED_AT);
    static final Set<String> CREATE = Set.of(UserAdmin.USERNAME, UserAdmin.PASSWORD, UserAdmin.NAME, UserAdmin.EMAIL,
            EMAIL_VERIFIED, UserAdmin.CLAIMS, ADDRESS, UserAdmin.ROLES);
    static final Set<String> PATCH;

    static {
        var all = new java.util.HashSet<>(PROFILE);
        all.addAll(READ_ONLY);
        PATCH = Set.copyOf(all);
    }

    private UserJson() {
    }

    static Map<String, Object> of(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(UserAdmin.USERNAME, u.username());
        m.put(SUB, u.id());
        m.put(UserAdmin.NAME, u.name().orElse(null));
        m.put(UserAdmin.EMAIL, u.email().orElse(null));
        m.put(EMAIL_VERIFIED, u.emailVerified());
        m.put(UserAdmin.CLAIMS, u.claims());
        m.put(ADDRESS, u.address().map(Address::members).orElse(null));
        m.put(UserAdmin.ROLES, u.roles().stream().map(Role::wireName).sorted().toList());
        m.put(DEMO, u.demo());
        m.put(CREATED_AT, u.createdAt().toString());
        m.put(UPDATED_AT, u.updatedAt().toString());
        return m;
    }

    /**
     * The profile a body gives. With {@code whole} (a merged PATCH), what it leaves out is removed (no name, no
     * email, no claims, no address, no roles); otherwise left out means left alone (create: none).
     */
    static UserAdmin.Changes changes(JsonBody body, boolean whole) {
        String name = body.text(UserAdmin.NAME, 1000);
        String email = body.text(UserAdmin.EMAIL, 1000);
        Boolean verified = body.bool(EMAIL_VERIFIED);
        Map<String, String> claims = body.stringMap(UserAdmin.CLAIMS, UserAdmin.MAX_CLAIMS, UserAdmin.MAX_CLAIM_VALUE);
        Optional<Address> address = null;
        JsonNode a = body.node(ADDRESS);
        if (a != null) {
            try {
                address = UserAdmin.address(a, ADDRESS);
            } catch (io.gatehouse.core.admin.AdminException e) {
                body.problem(ADDRESS, e.getMessage());
            }
        } else if (whole) {
            address = Optional.empty();
        }
        List<String> roleNames = body.strings(UserAdmin.ROLES, 10, 100);
        Set<Role> roles = null;
        if (roleNames != null) {
            try {
                roles = UserAdmin.roles(roleNames, UserAdmin.ROLES);
            } catch (io.gatehouse.core.admin.AdminException e) {
                body.problem(UserAdmin.ROLES, e.getMessage());
            }
        } else if (whole) {
            roles = Set.of();
        }
        if (whole) {
            name = name == null ? "" : name;
            email = email == null ? "" : email;
            verified = verified != null && verified;
            claims = claims == null ? Map.of() : claims;
        }
        return new UserAdmin.Changes(email, verified, name, claims, address, roles);
    }

    /** Read-only fields of a PATCH must be what the user has. */
    static void checkReadOnly(JsonBody body, ObjectNode merged, User current) {
        Map<String, Object> now = of(current);
        for (String f : READ_ONLY) {
            if (body.has(f) && !merged.get(f).equals(Json.mapper().valueToTree(now.get(f)))) body.problem(f, f + " is read-only");
        }
    }
}
