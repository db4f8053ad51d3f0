package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.http.Json;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User management behind the CLI: validation, stable opaque subject ids, Argon2id password hashing. Every change made
 * is written to the audit log with its actor (never a password).
 */
public final class UserAdmin {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;
    /** The longest {@code --address-json} accepted, in UTF-8 bytes. */
    public static final int MAX_ADDRESS_JSON = 2048;

    /**
     * Profile changes; a null field means "not given".
     *
     * @param address the address to set, {@code Optional.empty()} to remove it (see {@link #address(String)})
     */
    public record Changes(String email, Boolean emailVerified, String name, Map<String, String> claims,
                          Optional<Address> address) {
        /** Changes that leave the address alone. */
        public Changes(String email, Boolean emailVerified, String name, Map<String, String> claims) {
            this(email, emailVerified, name, claims, null);
        }
    }

    private final UserStore users;
    private final SecretHasher hasher;
    private final Clock clock;
    private final SecureRandom random;
    private final AuditLog audit;
    private final String actor;

    /** Changes are not audited (e.g. the demo set-up, tests). */
    public UserAdmin(UserStore users, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(users, hasher, clock, random, AuditLog.none(), "");
    }

    /** @param actor who makes the changes, as the audit log names them, e.g. "cli (user root, pid 4121)" */
    public UserAdmin(UserStore users, SecretHasher hasher, Clock clock, SecureRandom random, AuditLog audit, String actor) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
        this.audit = audit;
        this.actor = actor;
    }

    public User add(String username, String password, Changes c) {
        return add(username, password, c, false);
    }

    /** @param demo marks the user as registered by {@code serve --demo} (see {@link User#demo()}) */
    public User add(String username, String password, Changes c, boolean demo) {
        checkPassword(password);
        checkClaims(c.claims());
        Instant now = now();
        User u = new User("u_" + Tokens.random(random, 16), username, hasher.hash(password), Optional.ofNullable(c.name()),
                Optional.ofNullable(c.email()), Boolean.TRUE.equals(c.emailVerified()),
                c.claims() == null ? Map.of() : c.claims(), c.address() == null ? Optional.empty() : c.address(), now, now,
                demo);
        if (!users.insert(u)) throw new IllegalArgumentException("user '" + username + "' already exists");
        audit.userChanged(u.username(), u.id(), "added", actor);
        return u;
    }

    public User update(String username, Changes c) {
        checkClaims(c.claims());
        User u = find(username);
        Map<String, String> claims = c.claims() == null ? u.claims() : new LinkedHashMap<>(c.claims());
        User changed = new User(u.id(), u.username(), u.passwordHash(),
                c.name() == null ? u.name() : Optional.of(c.name()),
                c.email() == null ? u.email() : Optional.of(c.email()),
                c.emailVerified() == null ? (c.email() == null && u.emailVerified()) : c.emailVerified(),
                claims, c.address() == null ? u.address() : c.address(), u.createdAt(), now(), u.demo());
        if (!users.update(changed)) throw new IllegalArgumentException("user '" + username + "' could not be updated");
        List<String> what = new ArrayList<>();
        if (!changed.name().equals(u.name())) what.add("name");
        if (!changed.email().equals(u.email())) what.add("email");
        if (changed.emailVerified() != u.emailVerified()) what.add("email_verified");
        if (!changed.claims().equals(u.claims())) what.add("claims");
        if (!changed.address().equals(u.address())) what.add("address");
        audit.userChanged(u.username(), u.id(), "updated (" + (what.isEmpty() ? "nothing changed" : String.join(", ", what)) + ")",
                actor);
        return changed;
    }

    public void setPassword(String username, String password) {
        checkPassword(password);
        User u = find(username);
        User changed = new User(u.id(), u.username(), hasher.hash(password), u.name(), u.email(), u.emailVerified(),
                u.claims(), u.address(), u.createdAt(), now(), u.demo());
        if (!users.update(changed)) throw new IllegalArgumentException("user '" + username + "' could not be updated");
        audit.userChanged(u.username(), u.id(), "password set", actor);
    }

    public void remove(String username) {
        User u = find(username);
        if (!users.delete(u.id())) throw new IllegalArgumentException("user '" + username + "' does not exist");
        audit.userChanged(u.username(), u.id(), "removed", actor);
    }

    public User find(String username) {
        return users.findByUsername(username).orElseThrow(() -> new IllegalArgumentException("user '" + username + "' does not exist"));
    }

    public List<User> list() {
        return users.list();
    }

    /**
     * The address of {@code --address-json}: a JSON object (at most {@link #MAX_ADDRESS_JSON} bytes) with only the
     * members of OIDC Core §5.1.1, all strings; {@code {}} means no address.
     */
    public static Optional<Address> address(String json) {
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > MAX_ADDRESS_JSON) {
            throw new IllegalArgumentException("--address-json must be at most " + MAX_ADDRESS_JSON + " bytes");
        }
        JsonNode node;
        try {
            node = Json.parse(bytes);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("--address-json is not valid JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("--address-json must be a JSON object, e.g. "
                    + "'{\"street_address\":\"1 Main St\",\"locality\":\"Springfield\",\"country\":\"US\"}'");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        node.properties().forEach(e -> members.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue()));
        return Address.fromMembers(members);
    }

    /** The address is a JSON object now (OIDC Core §5.1.1): a plain string is refused with the way to set it. */
    private static void checkClaims(Map<String, String> claims) {
        if (claims != null && claims.containsKey("address")) {
            throw new IllegalArgumentException("--claim address=... is no longer accepted: the address claim is a JSON "
                    + "object; use --address-json '{\"formatted\":\"...\"}' (members formatted, street_address, "
                    + "locality, region, postal_code, country)");
        }
    }

    static void checkPassword(String p) {
        if (p == null || p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD) {
            throw new IllegalArgumentException("password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        for (int i = 0; i < p.length(); i++) {
            if (Character.isISOControl(p.charAt(i))) throw new IllegalArgumentException("password must not contain control characters");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
