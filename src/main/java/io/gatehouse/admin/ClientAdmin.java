package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.token.ClientKeys;
import io.gatehouse.core.token.Tokens;

import java.lang.reflect.RecordComponent;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Client management behind the CLI (and later the admin API): validation, secret generation and hashing. Every change
 * made is written to the audit log with its actor (never a secret).
 */
public final class ClientAdmin {
    public static final int MAX_SECRET_LENGTH = 100;

    /** The outcome of a change that may have produced a new secret (shown once, never stored in clear). */
    public record Saved(Client client, Optional<String> newSecret) {
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

    /**
     * @param secret the secret to set; empty generates one, unless {@code publicClient}
     */
    public Saved add(String id, Optional<String> secret, boolean publicClient, Consumer<Client.Builder> settings) {
        ClientId clientId = clientId(id);
        Client.Builder b = Client.builder(clientId).createdAt(clock.instant());
        settings.accept(b);
        Optional<String> shown = Optional.empty();
        if (publicClient) {
            if (secret.isPresent()) throw new IllegalArgumentException("a public client has no secret");
            b.secretHash(null).requirePkce(true);
        } else {
            String s = secret.orElseGet(() -> Tokens.random(random, 32));
            checkSecret(s);
            b.secretHash(hasher.hash(s));
            if (secret.isEmpty()) shown = Optional.of(s);
        }
        Client c = b.build();
        ClientKeys.check(c);
        if (!clients.insert(c)) throw new IllegalArgumentException("client '" + id + "' already exists");
        audit.clientChanged(c.id().value(), "added (" + (publicClient ? "public"
                : "confidential, secret " + (secret.isEmpty() ? "generated" : "given")) + ")", actor);
        return new Saved(c, shown);
    }

    public Saved update(String id, Optional<String> secret, Consumer<Client.Builder> settings) {
        Client existing = find(id);
        Client.Builder b = existing.toBuilder();
        settings.accept(b);
        secret.ifPresent(s -> {
            checkSecret(s);
            b.secretHash(hasher.hash(s));
        });
        if (existing.isPublic()) b.requirePkce(true);
        Client c = b.build();
        ClientKeys.check(c);
        if (!clients.update(c)) throw new IllegalArgumentException("client '" + id + "' does not exist");
        List<String> changed = changes(existing, c);
        audit.clientChanged(c.id().value(), "updated (" + (changed.isEmpty() ? "nothing changed" : String.join(", ", changed))
                + ")", actor);
        return new Saved(c, Optional.empty());
    }

    /** A new generated secret (returned once); the old one stops working. */
    public Saved rotateSecret(String id) {
        return rotateSecret(id, Optional.empty());
    }

    /** @param secret the new secret; empty generates one (returned once) */
    public Saved rotateSecret(String id, Optional<String> secret) {
        Client existing = find(id);
        if (existing.isPublic()) throw new IllegalArgumentException("client '" + id + "' is public and has no secret");
        secret.ifPresent(ClientAdmin::checkSecret);
        String s = secret.orElseGet(() -> Tokens.random(random, 32));
        Client c = existing.toBuilder().secretHash(hasher.hash(s)).build();
        if (!clients.update(c)) throw new IllegalArgumentException("client '" + id + "' does not exist");
        audit.clientChanged(c.id().value(), "secret rotated (" + (secret.isEmpty() ? "generated" : "given") + ")", actor);
        return new Saved(c, secret.isEmpty() ? Optional.of(s) : Optional.empty());
    }

    public void remove(String id) {
        if (!clients.delete(clientId(id))) throw new IllegalArgumentException("client '" + id + "' does not exist");
        audit.clientChanged(id, "removed", actor);
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
        return clients.find(clientId(id)).orElseThrow(() -> new IllegalArgumentException("client '" + id + "' does not exist"));
    }

    public List<Client> list() {
        return clients.list();
    }

    static ClientId clientId(String id) {
        if (!ClientId.isValid(id)) {
            throw new IllegalArgumentException("client id must be 1 to " + ClientId.MAX_LENGTH
                    + " visible ASCII characters (no spaces or control characters)");
        }
        return new ClientId(id);
    }

    static void checkSecret(String s) {
        if (s.isEmpty() || s.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("client secret must be 1 to " + MAX_SECRET_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("client secret must not contain control characters");
            }
        }
    }
}
