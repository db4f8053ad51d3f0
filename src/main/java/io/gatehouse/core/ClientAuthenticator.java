package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.ClientAuthMethodHint;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.AuditLog.ClientAuthFailure;
import io.gatehouse.core.port.ClientRepository;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates clients at the token endpoint (RFC 6749 §2.3). Secrets are stored as Argon2id.
 *
 * <p>The hot path: a secret verified once is remembered as an HMAC under a per-process random key, tied to the stored
 * hash it was verified against (a rotated secret invalidates it) and to the source addresses it was verified from.
 * A request whose secret matches from one of those addresses costs one HMAC: no hashing, no queue, no counter read or
 * write. A wrong secret from an address drops that address, so its next request, right or wrong, goes through the
 * {@link AttemptLimiter} again: the memory can never answer a guess the limiter would refuse.
 *
 * <p>Everything else is checked the same way for unknown and existing client ids: the attempt limiter first (429
 * before any lookup result matters or any hashing), then one Argon2id check in the {@link SecretHasher}'s bounded
 * queue (503 when it is full) against the client's hash or, for an unknown id, a dummy hash with the same parameters;
 * a failure is counted under the presented id. Identical checks in flight (same id, same secret) are made once and
 * shared, so a client's burst of parallel requests right after a restart costs one hash, not one each.
 */
public final class ClientAuthenticator {
    static final String BAD_CREDENTIALS = "Bad client credentials";
    static final String BUSY = "Too many authentication requests are being checked; retry later";
    /** Source addresses remembered per verified secret (the oldest goes first). */
    static final int MAX_SOURCES = 32;

    private record Verified(String storedHash, byte[] mac, List<String> sources) {
        boolean matches(String hash, byte[] presented) {
            return storedHash.equals(hash) && MessageDigest.isEqual(mac, presented);
        }

        Verified with(String source) {
            if (sources.contains(source)) return this;
            List<String> s = new ArrayList<>(sources);
            if (s.size() >= MAX_SOURCES) s.removeFirst();
            s.add(source);
            return new Verified(storedHash, mac, List.copyOf(s));
        }

        Verified without(String source) {
            if (!sources.contains(source)) return this;
            List<String> s = new ArrayList<>(sources);
            s.remove(source);
            return new Verified(storedHash, mac, List.copyOf(s));
        }
    }

    /** One check in flight: presented id, HMAC of the presented secret, the hash it is checked against. */
    private record Flight(String clientId, String mac, String storedHash) {
    }

    private final ClientRepository clients;
    private final SecretHasher hasher;
    private final AttemptLimiter limiter;
    private final SecretKeySpec macKey;
    private final ConcurrentHashMap<ClientId, Verified> verified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Flight, CompletableFuture<Boolean>> flights = new ConcurrentHashMap<>();
    private final AuditLog audit;

    public ClientAuthenticator(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(clients, hasher, clock, random, AuditLog.none());
    }

    public ClientAuthenticator(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random,
                               AuditLog audit) {
        this(clients, hasher, AttemptLimiter.inMemory(clock), random, audit);
    }

    public ClientAuthenticator(ClientRepository clients, SecretHasher hasher, AttemptLimiter limiter,
                               SecureRandom random, AuditLog audit) {
        this.audit = audit;
        this.clients = clients;
        this.hasher = hasher;
        this.limiter = limiter;
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.macKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @return the authenticated client
     * @throws OAuthException InvalidClient for every failure, with one message; TooManyAttempts (429) when the
     *                        attempt limiter refuses; TemporarilyUnavailable (503) when the hashing queue is full
     */
    public Client authenticate(ClientAuth auth) {
        ClientAuthMethodHint hint = switch (auth.method()) {
            case CLIENT_SECRET_BASIC -> ClientAuthMethodHint.BASIC;
            case CLIENT_SECRET_POST -> ClientAuthMethodHint.POST;
            case NONE -> ClientAuthMethodHint.NONE;
        };
        Optional<Client> found = ClientId.isValid(auth.clientId())
                ? clients.find(new ClientId(auth.clientId())) : Optional.empty();
        if (auth.method() == ClientAuth.Method.NONE) {
            // Public clients only: no secret to check (PKCE binds the code instead). Nothing is guessed here.
            if (found.isPresent() && found.get().isPublic()) return found.get();
            audit.clientAuthenticationFailed(auth.clientId(), auth.source(),
                    found.isEmpty() ? ClientAuthFailure.UNKNOWN_CLIENT : ClientAuthFailure.SECRET_REQUIRED);
            throw invalid(hint);
        }
        String secret = auth.secret().orElse("");
        String source = AttemptLimiter.sourceKey(auth.source());
        byte[] mac = mac(auth.clientId(), secret);
        Client client = found.filter(c -> !c.isPublic()).orElse(null);
        String storedHash;
        if (client != null) {
            storedHash = client.secretHash().orElseThrow();
            Verified v = verified.get(client.id());
            if (v != null && v.matches(storedHash, mac) && v.sources.contains(source)) {
                return client;
            }
        } else {
            storedHash = hasher.dummyHash();  // same work as a wrong secret
        }
        boolean ok = check(auth.clientId(), source, secret, mac, storedHash);
        if (ok && client != null) {
            verified.compute(client.id(), (id, v) -> v != null && v.matches(storedHash, mac) ? v.with(source)
                    : new Verified(storedHash, mac, List.of(source)));
            return client;
        }
        if (client != null) verified.computeIfPresent(client.id(), (id, v) -> v.without(source));
        audit.clientAuthenticationFailed(auth.clientId(), auth.source(), client != null ? ClientAuthFailure.WRONG_SECRET
                : found.isEmpty() ? ClientAuthFailure.UNKNOWN_CLIENT : ClientAuthFailure.PUBLIC_CLIENT);
        throw invalid(hint);
    }

    /** Drops remembered verifications, e.g. after a client was changed through this process. */
    public void forget(ClientId id) {
        verified.remove(id);
    }

    /** The check of a secret, shared with identical checks in flight. */
    private boolean check(String clientId, String source, String secret, byte[] mac, String storedHash) {
        Flight key = new Flight(clientId, Base64.getEncoder().encodeToString(mac), storedHash);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            limiter.checkKnown(AttemptLimiter.Kind.CLIENT, clientId, source);
            try {
                return running.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                // That attempt was refused or failed for its own reasons: make this one on its own.
                return limitedCheck(clientId, source, secret, storedHash);
            }
        }
        try {
            boolean ok = limitedCheck(clientId, source, secret, storedHash);
            mine.complete(ok);
            return ok;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    private boolean limitedCheck(String clientId, String source, String secret, String storedHash) {
        AttemptLimiter.Attempt attempt = limiter.begin(AttemptLimiter.Kind.CLIENT, clientId, source);
        boolean ok;
        try {
            ok = hasher.verify(secret, storedHash, attempt.priority());
        } catch (SecretHasher.Busy b) {
            attempt.abandoned();
            throw new OAuthException(new OAuthError.TemporarilyUnavailable(BUSY, b.retryAfterSeconds()));
        } catch (RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (ok) {
            attempt.succeeded();
        } else {
            attempt.failed();
        }
        return ok;
    }


    private byte[] mac(String id, String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(macKey);
            m.update(id.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return m.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static OAuthException invalid(ClientAuthMethodHint hint) {
        return new OAuthException(new OAuthError.InvalidClient(BAD_CREDENTIALS, hint));
    }
}
