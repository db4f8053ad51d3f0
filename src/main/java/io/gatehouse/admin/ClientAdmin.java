package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.token.Tokens;

import java.lang.reflect.RecordComponent;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Client management behind the CLI and the admin API: validation, secret generation and hashing, optimistic
 * concurrency. Refusals are {@link AdminException}s and change nothing. Every change made is written to the audit log
 * with its actor (never a secret).
 */
public final class ClientAdmin {
    public static final int MAX_SECRET_LENGTH = 100;
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";

    /** The outcome of a change that may have produced a new secret (shown once, never stored in clear). */
    public record Saved(Client client, Optional<String> newSecret, long version) {
        public Saved(Client client, Optional<String> newSecret) {
            this(client, newSecret, 0);
        }
    }

    private final ClientRepository clients;
    private final SecretHasher hasher;
    private final Clock clock;
    private final SecureRandom random;
    private final AuditLog audit;
    private final String actor;

    /** Changes are not audited (e.g. the demo set-up, tests). */
    public ClientAdmin(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(clients, hasher, clock, random, AuditLog.none(), "");
    }

    /** @param actor who makes the changes, as the audit log names them, e.g. "cli (user root, pid 4121)" */
    public ClientAdmin(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random, AuditLog audit,
                       String actor) {
        this.clients = clients;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
        this.audit = audit;
        this.actor = actor;
    }

    /** The same use cases, with changes audited as made by {@code otherActor}. */
    public ClientAdmin as(String otherActor) {
        return new ClientAdmin(clients, hasher, clock, random, audit, otherActor);
    }

    /** @param secret the secret to set; empty generates one, unless {@code publicClient} */
    public Saved add(String id, Optional<String> secret, boolean publicClient, ClientSettings settings) {
        return add(id, secret, publicClient, settings::applyTo, settings);
    }

    /** As {@link #add(String, Optional, boolean, ClientSettings)} with settings made in code (demo, tests). */
    public Saved add(String id, Optional<String> secret, boolean publicClient, Consumer<Client.Builder> settings) {
        return add(id, secret, publicClient, settings, new ClientSettings());
    }

    private Saved add(String id, Optional<String> secret, boolean publicClient, Consumer<Client.Builder> apply,
                      ClientSettings checks) {
        ClientId clientId = clientId(id);
        Client.Builder b = Client.builder(clientId).createdAt(clock.instant());
        apply.accept(b);
        if (publicClient) {
            if (secret.isPresent()) throw AdminException.invalid(CLIENT_SECRET, "a public client has no secret");
            b.secretHash(null).requirePkce(true);
        } else {
            secret.ifPresent(ClientAdmin::checkSecret);
            b.secretHash("pending");  // a confidential client: checked as one, hashed once everything else is valid
        }
        checks.build(b);
        Optional<String> shown = Optional.empty();
        if (!publicClient) {
            String s = secret.orElseGet(() -> Tokens.random(random, 32));
            b.secretHash(hasher.hash(s));
            if (secret.isEmpty()) shown = Optional.of(s);
        }
        Client c = b.build();
        if (!clients.insert(c)) throw AdminException.conflict("client '" + id + "' already exists");
        audit.clientChanged(c.id().value(), "added (" + (publicClient ? "public"
                : "confidential, secret " + (secret.isEmpty() ? "generated" : "given")) + ")", actor);
        return new Saved(c, shown, clients.findVersioned(clientId).map(Versioned::version).orElse(0L));
    }

    /** Changes the given settings (the CLI's update); a secret only when given. */
    public Saved update(String id, Optional<String> secret, ClientSettings settings) {
        return update(id, secret, settings::applyTo, settings);
    }

    /** As {@link #update(String, Optional, ClientSettings)} with settings made in code (tests). */
    public Saved update(String id, Optional<String> secret, Consumer<Client.Builder> settings) {
        return update(id, secret, settings, new ClientSettings());
    }

    private Saved update(String id, Optional<String> secret, Consumer<Client.Builder> apply, ClientSettings checks) {
        secret.ifPresent(ClientAdmin::checkSecret);
        return change(id, OptionalLong.empty(), existing -> {
            Client.Builder b = existing.toBuilder();
            apply.accept(b);
            secret.ifPresent(s -> b.secretHash(hasher.hash(s)));
            if (existing.isPublic()) b.requirePkce(true);
            return checks.build(b);
        });
    }

    /**
     * Replaces every setting (the admin API's PUT and PATCH): what {@code settings} does not give is reset to its
     * default. The id, secret, creation time and demo mark stay.
     *
     * @param ifVersion the version the caller saw; empty: whatever the current one is
     */
    public Saved replace(String id, ClientSettings settings, OptionalLong ifVersion) {
        return change(id, ifVersion, existing -> {
            Client.Builder b = Client.builder(existing.id()).createdAt(existing.createdAt()).demo(existing.demo())
                    .secretHash(existing.secretHash().orElse(null));
            settings.applyTo(b);
            if (existing.isPublic()) b.requirePkce(true);
            return settings.build(b);
        });
    }

    /** A new generated secret (returned once); the old one stops working. */
    public Saved rotateSecret(String id) {
        return rotateSecret(id, Optional.empty(), OptionalLong.empty());
    }

    /** @param secret the new secret; empty generates one (returned once) */
    public Saved rotateSecret(String id, Optional<String> secret) {
        return rotateSecret(id, secret, OptionalLong.empty());
    }

    public Saved rotateSecret(String id, Optional<String> secret, OptionalLong ifVersion) {
        secret.ifPresent(ClientAdmin::checkSecret);
        String s = secret.orElseGet(() -> Tokens.random(random, 32));
        Saved saved = change(id, ifVersion, existing -> {
            if (existing.isPublic()) throw AdminException.conflict("client '" + id + "' is public and has no secret");
            return existing.toBuilder().secretHash(hasher.hash(s)).build();
        }, "secret rotated (" + (secret.isEmpty() ? "generated" : "given") + ")");
        return new Saved(saved.client(), secret.isEmpty() ? Optional.of(s) : Optional.empty(), saved.version());
    }

    public void remove(String id) {
        remove(id, OptionalLong.empty());
    }

    /** @param ifVersion the version the caller saw; empty: whatever the current one is */
    public void remove(String id, OptionalLong ifVersion) {
        ClientId clientId = clientId(id);
        boolean removed;
        if (ifVersion.isEmpty()) {
            removed = clients.delete(clientId);
        } else {
            long current = findVersioned(id).version();
            if (current != ifVersion.getAsLong()) throw changedMeanwhile(id);
            removed = clients.deleteIfVersion(clientId, current);
            if (!removed && clients.find(clientId).isPresent()) throw changedMeanwhile(id);
        }
        if (!removed) throw notFound(id);
        audit.clientChanged(id, "removed", actor);
    }

    private interface Change {
        Client apply(Client existing);
    }

    private Saved change(String id, OptionalLong ifVersion, Change change) {
        return change(id, ifVersion, change, null);
    }

    /**
     * Reads the client, makes the change, and stores it only if the row is still the version read (and the one the
     * caller saw, when given): a concurrent change is never overwritten.
     *
     * @param what the audit log's words for the change; null: the settings that changed
     */
    private Saved change(String id, OptionalLong ifVersion, Change change, String what) {
        Versioned<Client> current = findVersioned(id);
        if (ifVersion.isPresent() && ifVersion.getAsLong() != current.version()) throw changedMeanwhile(id);
        Client existing = current.value();
        Client c = change.apply(existing);
        if (!clients.updateIfVersion(c, current.version())) {
            if (clients.find(existing.id()).isEmpty()) throw notFound(id);
            throw ifVersion.isPresent() ? changedMeanwhile(id)
                    : AdminException.conflict("client '" + id + "' was changed by someone else meanwhile; try again");
        }
        if (what == null) {
            List<String> changed = changes(existing, c);
            what = "updated (" + (changed.isEmpty() ? "nothing changed" : String.join(", ", changed)) + ")";
        }
        audit.clientChanged(c.id().value(), what, actor);
        return new Saved(c, Optional.empty(), current.version() + 1);
    }

    /**
     * The settings that differ between two versions of a client, in snake_case ("secret" for the secret's hash: a
     * secret set again counts as changed, its hash has a new salt).
     */
    static List<String> changes(Client before, Client after) {
        List<String> changed = new ArrayList<>();
        for (RecordComponent rc : Client.class.getRecordComponents()) {
            try {
                Object a = rc.getAccessor().invoke(before);
                Object b = rc.getAccessor().invoke(after);
                if (!Objects.equals(a, b)) changed.add(rc.getName().equals("secretHash") ? "secret" : snake(rc.getName()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return changed;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    public Client find(String id) {
        return findVersioned(id).value();
    }

    /** The client with its version (the admin API's ETag). */
    public Versioned<Client> findVersioned(String id) {
        return clients.findVersioned(clientId(id)).orElseThrow(() -> notFound(id));
    }

    public List<Client> list() {
        return clients.list();
    }

    /** At most {@code limit} clients by id, after {@code after} when given. */
    public List<Client> list(Optional<String> after, int limit) {
        return clients.listAfter(after.filter(ClientId::isValid).map(ClientId::new), limit);
    }

    static ClientId clientId(String id) {
        if (!ClientId.isValid(id)) {
            throw AdminException.invalid(CLIENT_ID, "client id must be 1 to " + ClientId.MAX_LENGTH
                    + " visible ASCII characters (no spaces or control characters)");
        }
        return new ClientId(id);
    }

    static void checkSecret(String s) {
        if (s.isEmpty() || s.length() > MAX_SECRET_LENGTH) {
            throw AdminException.invalid(CLIENT_SECRET, "client secret must be 1 to " + MAX_SECRET_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw AdminException.invalid(CLIENT_SECRET, "client secret must not contain control characters");
            }
        }
    }

    private static AdminException notFound(String id) {
        return AdminException.notFound("client '" + id + "' does not exist");
    }

    private static AdminException changedMeanwhile(String id) {
        return AdminException.preconditionFailed("client '" + id + "' has changed since that version (If-Match); "
                + "read it again");
    }
}
