package io.gatehouse.core.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resource owner. {@code id} is the stable, opaque OIDC {@code sub}; the username is only the login name
 * and may change.
 *
 * @param passwordHash Argon2id PHC string
 * @param claims       further claims (string values), e.g. given_name, locale, phone_number
 * @param address      the structured address claim (OIDC Core §5.1.1), never a plain string
 * @param demo         registered by {@code serve --demo} with a well-known password: deleted by the next start without
 *                     {@code --demo}. Set when the row is inserted; an update never changes it
 * @param roles        what the user may do beyond signing in ({@link Role#ADMIN}: the admin API's scopes)
 */
public record User(String id, String username, String passwordHash, Optional<String> name, Optional<String> email,
                   boolean emailVerified, Map<String, String> claims, Optional<Address> address, Instant createdAt,
                   Instant updatedAt, boolean demo, Set<Role> roles) {
    public static final int MAX_USERNAME = 100;
    /** Claims set from the record itself or by the issuer; `--claim` may not set them. */
    public static final Set<String> RESERVED_CLAIMS = Set.of("sub", "name", "email", "email_verified",
            "preferred_username", "updated_at", "iss", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash",
            "jti", "nbf", "sid", "acr", "amr", "client_id", "scope", "address");

    public User {
        if (id == null || id.isEmpty() || id.length() > 64) throw new IllegalArgumentException("user id must be 1 to 64 characters");
        if (!isValidUsername(username)) {
            throw new IllegalArgumentException("username must be 1 to " + MAX_USERNAME + " characters without spaces or control characters");
        }
        if (passwordHash == null || passwordHash.isEmpty()) throw new IllegalArgumentException("password hash is required");
        name = name == null ? Optional.empty() : name.filter(s -> !s.isEmpty());
        email = email == null ? Optional.empty() : email.filter(s -> !s.isEmpty());
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims == null ? Map.of() : claims));
        address = address == null ? Optional.empty() : address;
        roles = roles == null || roles.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(roles));
        for (String k : claims.keySet()) {
            if (RESERVED_CLAIMS.contains(k)) throw new IllegalArgumentException("claim '" + k + "' is reserved");
            if (k.isEmpty() || k.length() > 100) throw new IllegalArgumentException("claim names must be 1 to 100 characters");
        }
        name.ifPresent(n -> { if (n.length() > 200) throw new IllegalArgumentException("name must be at most 200 characters"); });
        email.ifPresent(e -> {
            if (e.length() > 254 || e.indexOf('@') < 1 || e.chars().anyMatch(c -> c <= 0x20 || c == 0x7F)) {
                throw new IllegalArgumentException("email must be an address like name@example.com");
            }
        });
    }

    /** A user without roles. */
    public User(String id, String username, String passwordHash, Optional<String> name, Optional<String> email,
                boolean emailVerified, Map<String, String> claims, Optional<Address> address, Instant createdAt,
                Instant updatedAt, boolean demo) {
        this(id, username, passwordHash, name, email, emailVerified, claims, address, createdAt, updatedAt, demo, Set.of());
    }

    /** A user not registered by {@code serve --demo}, without an address. */
    public User(String id, String username, String passwordHash, Optional<String> name, Optional<String> email,
                boolean emailVerified, Map<String, String> claims, Instant createdAt, Instant updatedAt) {
        this(id, username, passwordHash, name, email, emailVerified, claims, Optional.empty(), createdAt, updatedAt, false);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public static boolean isValidUsername(String u) {
        if (u == null || u.isEmpty() || u.length() > MAX_USERNAME) return false;
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "User[" + id + ", " + username + "]";
    }
}
