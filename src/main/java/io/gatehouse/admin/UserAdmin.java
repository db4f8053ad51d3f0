package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.admin.AdminError;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.http.Json;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * User management behind the CLI: validation, stable opaque subject ids, Argon2id password hashing. Every change made
 * is written to the audit log with its actor (never a password).
 */
public final class UserAdmin {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;
    /** The longest {@code --address-json} accepted, in UTF-8 bytes. */
    public static final int MAX_ADDRESS_JSON = 2048;

    /** The admin API's field names (and those problems name). */
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String NAME = "name";
    public static final String EMAIL = "email";
    public static final String CLAIMS = "claims";
    public static final String ROLES = "roles";
    /** The most further claims a user may have, and the longest value. */
    public static final int MAX_CLAIMS = 50;
    public static final int MAX_CLAIM_VALUE = 2000;

    /**
     * Profile changes; a null field means "not given".
     *
     * @param address the address to set, {@code Optional.empty()} to remove it (see {@link #address(String)})
     * @param roles   the roles to set (all of them)
     */
    public record Changes(String email, Boolean emailVerified, String name, Map<String, String> claims,
                          Optional<Address> address, Set<Role> roles) {
        /** Changes that leave the address and the roles alone. */
        public Changes(String email, Boolean emailVerified, String name, Map<String, String> claims) {
            this(email, emailVerified, name, claims, null, null);
        }

        /** Changes that leave the roles alone. */
        public Changes(String email, Boolean emailVerified, String name, Map<String, String> claims, Optional<Address> address) {
            this(email, emailVerified, name, claims, address, null);
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

    /** The same use cases, with changes audited as made by {@code otherActor}. */
    public UserAdmin as(String otherActor) {
        return new UserAdmin(users, hasher, clock, random, audit, otherActor);
    }

    public User add(String username, String password, Changes c) {
        return add(username, password, c, false);
    }

    /** @param demo marks the user as registered by {@code serve --demo} (see {@link User#demo()}) */
    public User add(String username, String password, Changes c, boolean demo) {
        check(username == null ? "" : username, password == null ? "" : password, c);
        Instant now = now();
        User u = new User("u_" + Tokens.random(random, 16), username, hasher.hash(password), Optional.ofNullable(c.name()),
                Optional.ofNullable(c.email()), Boolean.TRUE.equals(c.emailVerified()),
                c.claims() == null ? Map.of() : c.claims(), c.address() == null ? Optional.empty() : c.address(), now, now,
                demo, c.roles() == null ? Set.of() : c.roles());
        if (!users.insert(u)) throw AdminException.conflict("user '" + username + "' already exists");
        audit.userChanged(u.username(), u.id(), "added" + (u.roles().isEmpty() ? "" : " (roles " + roles(u.roles()) + ")"), actor);
        return u;
    }

    /** @throws AdminException {@link AdminError.Invalid} naming every field {@link #add} would refuse */
    public static void check(String username, String password, Changes c) {
        List<AdminError.FieldProblem> problems = new ArrayList<>();
        if (username != null && !User.isValidUsername(username)) {
            problems.add(new AdminError.FieldProblem(USERNAME, "username must be 1 to " + User.MAX_USERNAME
                    + " characters without spaces or control characters"));
        }
        if (password != null) passwordProblem(password).ifPresent(problems::add);
        problems.addAll(problems(c));
        if (!problems.isEmpty()) throw new AdminException(new AdminError.Invalid(problems));
    }

    public User update(String username, Changes c) {
        return update(username, c, OptionalLong.empty()).value();
    }

    /**
     * Changes the profile (what {@code c} gives) while the user is at {@code ifVersion} when given.
     *
     * @return the user as stored, with its new version
     */
    public Versioned<User> update(String username, Changes c, OptionalLong ifVersion) {
        List<AdminError.FieldProblem> problems = problems(c);
        if (!problems.isEmpty()) throw new AdminException(new AdminError.Invalid(problems));
        Versioned<User> current = findVersioned(username);
        User u = current.value();
        Map<String, String> claims = c.claims() == null ? u.claims() : new LinkedHashMap<>(c.claims());
        User changed = new User(u.id(), u.username(), u.passwordHash(),
                c.name() == null ? u.name() : Optional.of(c.name()),
                c.email() == null ? u.email() : Optional.of(c.email()),
                c.emailVerified() == null ? (c.email() == null && u.emailVerified()) : c.emailVerified(),
                claims, c.address() == null ? u.address() : c.address(), u.createdAt(), now(), u.demo(),
                c.roles() == null ? u.roles() : c.roles());
        long version = store(username, current, changed, ifVersion);
        List<String> what = new ArrayList<>();
        if (!changed.name().equals(u.name())) what.add("name");
        if (!changed.email().equals(u.email())) what.add("email");
        if (changed.emailVerified() != u.emailVerified()) what.add("email_verified");
        if (!changed.claims().equals(u.claims())) what.add("claims");
        if (!changed.address().equals(u.address())) what.add("address");
        if (!changed.roles().equals(u.roles())) what.add("roles " + (changed.roles().isEmpty() ? "(none)" : roles(changed.roles())));
        audit.userChanged(u.username(), u.id(), "updated (" + (what.isEmpty() ? "nothing changed" : String.join(", ", what)) + ")",
                actor);
        return new Versioned<>(changed, version);
    }

    public void setPassword(String username, String password) {
        setPassword(username, password, OptionalLong.empty());
    }

    /** @return the user's new version */
    public long setPassword(String username, String password, OptionalLong ifVersion) {
        checkPassword(password);
        Versioned<User> current = findVersioned(username);
        User u = current.value();
        User changed = new User(u.id(), u.username(), hasher.hash(password), u.name(), u.email(), u.emailVerified(),
                u.claims(), u.address(), u.createdAt(), now(), u.demo(), u.roles());
        long version = store(username, current, changed, ifVersion);
        audit.userChanged(u.username(), u.id(), "password set", actor);
        return version;
    }

    public void remove(String username) {
        remove(username, OptionalLong.empty());
    }

    /** Deletes the user with their sessions and consents (their grants end with their tokens, by the purge). */
    public void remove(String username, OptionalLong ifVersion) {
        Versioned<User> current = findVersioned(username);
        if (ifVersion.isPresent() && ifVersion.getAsLong() != current.version()) throw changedMeanwhile(username);
        User u = current.value();
        if (!users.deleteIfVersion(u.id(), current.version())) {
            if (users.find(u.id()).isEmpty()) throw notFound(username);
            throw changed(username, ifVersion);
        }
        audit.userChanged(u.username(), u.id(), "removed", actor);
    }

    /** Stores {@code changed} only while the row is still {@code current} (and the caller's version). @return the new version */
    private long store(String username, Versioned<User> current, User changed, OptionalLong ifVersion) {
        if (ifVersion.isPresent() && ifVersion.getAsLong() != current.version()) throw changedMeanwhile(username);
        if (!users.updateIfVersion(changed, current.version())) {
            if (users.find(changed.id()).isEmpty()) throw notFound(username);
            throw changed(username, ifVersion);
        }
        return current.version() + 1;
    }

    public User find(String username) {
        return findVersioned(username).value();
    }

    /** The user with their version (the admin API's ETag). */
    public Versioned<User> findVersioned(String username) {
        if (!User.isValidUsername(username)) throw notFound(username);
        return users.findVersionedByUsername(username).orElseThrow(() -> notFound(username));
    }

    public List<User> list() {
        return users.list();
    }

    /** At most {@code limit} users by username, after {@code after} when given. */
    public List<User> list(Optional<String> after, int limit) {
        return users.listAfter(after, limit);
    }

    /** Whether any user has the role. */
    public boolean anyWithRole(Role role) {
        return users.list().stream().anyMatch(u -> u.hasRole(role));
    }

    /** Roles as the CLI and the API spell them. */
    public static Set<Role> roles(List<String> names, String field) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String n : names) {
            out.add(Role.fromWire(n == null ? "" : n.trim()).orElseThrow(() -> AdminException.invalid(ROLES,
                    field + " has an unknown role (the one role is admin)")));
        }
        return out;
    }

    static String roles(Set<Role> roles) {
        return String.join(" ", roles.stream().map(Role::wireName).sorted().toList());
    }

    /** What is wrong with the profile values given, by field (what the User record would refuse, and more). */
    private static List<AdminError.FieldProblem> problems(Changes c) {
        List<AdminError.FieldProblem> out = new ArrayList<>();
        if (c.name() != null && c.name().length() > 200) out.add(new AdminError.FieldProblem(NAME, "name must be at most 200 characters"));
        if (c.email() != null && !c.email().isEmpty() && (c.email().length() > 254 || c.email().indexOf('@') < 1
                || c.email().chars().anyMatch(ch -> ch <= 0x20 || ch == 0x7F))) {
            out.add(new AdminError.FieldProblem(EMAIL, "email must be an address like name@example.com (at most 254 characters)"));
        }
        if (c.claims() != null) {
            if (c.claims().containsKey("address")) {
                out.add(new AdminError.FieldProblem(CLAIMS, "--claim address=... is no longer accepted: the address claim "
                        + "is a JSON object; use --address-json '{\"formatted\":\"...\"}' (members formatted, "
                        + "street_address, locality, region, postal_code, country)"));
            }
            if (c.claims().size() > MAX_CLAIMS) out.add(new AdminError.FieldProblem(CLAIMS, "at most " + MAX_CLAIMS + " claims"));
            for (Map.Entry<String, String> e : c.claims().entrySet()) {
                if (e.getKey().equals("address")) continue;
                if (User.RESERVED_CLAIMS.contains(e.getKey())) {
                    out.add(new AdminError.FieldProblem(CLAIMS, "claim '" + e.getKey() + "' is reserved"));
                } else if (e.getKey().isEmpty() || e.getKey().length() > 100) {
                    out.add(new AdminError.FieldProblem(CLAIMS, "claim names must be 1 to 100 characters"));
                } else if (e.getValue() == null || e.getValue().length() > MAX_CLAIM_VALUE) {
                    out.add(new AdminError.FieldProblem(CLAIMS, "claim values must be strings of at most " + MAX_CLAIM_VALUE
                            + " characters"));
                }
            }
        }
        return out;
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
        return address(node, "--address-json");
    }

    /**
     * An address given as a JSON object with only the members of OIDC Core §5.1.1, all strings; {@code {}} means no
     * address. @param name what the caller calls it, for messages
     */
    public static Optional<Address> address(JsonNode node, String name) {
        if (!node.isObject()) {
            throw AdminException.invalid("address", name + " must be a JSON object, e.g. "
                    + "'{\"street_address\":\"1 Main St\",\"locality\":\"Springfield\",\"country\":\"US\"}'");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        node.properties().forEach(e -> members.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue()));
        try {
            return Address.fromMembers(members);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid("address", name + ": " + e.getMessage());
        }
    }

    public static void checkPassword(String p) {
        passwordProblem(p).ifPresent(f -> {
            throw new AdminException(new AdminError.Invalid(List.of(f)));
        });
    }

    private static Optional<AdminError.FieldProblem> passwordProblem(String p) {
        if (p == null || p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD) {
            return Optional.of(new AdminError.FieldProblem(PASSWORD, "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters"));
        }
        for (int i = 0; i < p.length(); i++) {
            if (Character.isISOControl(p.charAt(i))) {
                return Optional.of(new AdminError.FieldProblem(PASSWORD, "password must not contain control characters"));
            }
        }
        return Optional.empty();
    }

    private static AdminException notFound(String username) {
        return AdminException.notFound("user '" + username + "' does not exist");
    }

    private static AdminException changedMeanwhile(String username) {
        return AdminException.preconditionFailed("user '" + username + "' has changed since that version (If-Match); "
                + "read it again");
    }

    private static AdminException changed(String username, OptionalLong ifVersion) {
        return ifVersion.isPresent() ? changedMeanwhile(username)
                : AdminException.conflict("user '" + username + "' was changed by someone else meanwhile; try again");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
