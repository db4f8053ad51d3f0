package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.token.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/** Client management behind the CLI (and later the admin API): validation, secret generation and hashing. */
public final class ClientAdmin {
    public static final int MAX_SECRET_LENGTH = 100;

    /** The outcome of a change that may have produced a new secret (shown once, never stored in clear). */
    public record Saved(Client client, Optional<String> newSecret) {
    }

    private final ClientRepository clients;
    private final SecretHasher hasher;
    private final Clock clock;
    private final SecureRandom random;

    public ClientAdmin(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random) {
        this.clients = clients;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
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
        if (!clients.insert(c)) throw new IllegalArgumentException("client '" + id + "' already exists");
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
        if (!clients.update(c)) throw new IllegalArgumentException("client '" + id + "' does not exist");
        return new Saved(c, Optional.empty());
    }

    public Saved rotateSecret(String id) {
        Client existing = find(id);
        if (existing.isPublic()) throw new IllegalArgumentException("client '" + id + "' is public and has no secret");
        String s = Tokens.random(random, 32);
        Client c = existing.toBuilder().secretHash(hasher.hash(s)).build();
        if (!clients.update(c)) throw new IllegalArgumentException("client '" + id + "' does not exist");
        return new Saved(c, Optional.of(s));
    }

    public void remove(String id) {
        if (!clients.delete(clientId(id))) throw new IllegalArgumentException("client '" + id + "' does not exist");
    }

    public Client find(String id) {
        return clients.find(clientId(id)).orElseThrow(() -> new IllegalArgumentException("client '" + id + "' does not exist"));
    }

    public java.util.List<Client> list() {
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
