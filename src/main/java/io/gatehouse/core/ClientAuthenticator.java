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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Authenticates clients at the token endpoint (RFC 6749 §2.3). Secrets are stored as Argon2id; a
 * secret verified once is remembered as an HMAC under a per-process random key, tied to the stored
 * hash it was verified against, so the hot path costs one HMAC and a rotated secret invalidates it.
 * Unknown clients and wrong secrets get the same answer after the same work. Slow-hash work is
 * bounded (at most half the cores at once) and clients with many recent failures are slowed down,
 * never locked out.
 */
public final class ClientAuthenticator {
    static final String BAD_CREDENTIALS = "Bad client credentials";

    private record Verified(String storedHash, byte[] mac) {
    }

    private final ClientRepository clients;
    private final SecretHasher hasher;
    private final FailureThrottle throttle;
    private final SecretKeySpec macKey;
    private final SecureRandom random;
    private volatile String dummyHash;
    private final Semaphore hashPermits;
    private final ConcurrentHashMap<ClientId, Verified> verified = new ConcurrentHashMap<>();

    private final AuditLog audit;

    public ClientAuthenticator(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(clients, hasher, clock, random, AuditLog.none());
    }

    public ClientAuthenticator(ClientRepository clients, SecretHasher hasher, Clock clock, SecureRandom random,
                               AuditLog audit) {
        this.audit = audit;
        this.clients = clients;
        this.hasher = hasher;
        this.throttle = new FailureThrottle(clock);
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.macKey = new SecretKeySpec(key, "HmacSHA256");
        this.random = random;
        // On top of SecretHasher's process-wide bound: client authentication may use at most half the cores,
        // so a flood of wrong client secrets cannot take every hashing slot away from user sign-ins.
        this.hashPermits = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
    }

    /** @return the authenticated client; throws InvalidClient for every failure, with one message */
    public Client authenticate(ClientAuth auth) {
        ClientAuthMethodHint hint = switch (auth.method()) {
            case CLIENT_SECRET_BASIC -> ClientAuthMethodHint.BASIC;
            case CLIENT_SECRET_POST -> ClientAuthMethodHint.POST;
            case NONE -> ClientAuthMethodHint.NONE;
        };
        Optional<Client> found = ClientId.isValid(auth.clientId())
                ? clients.find(new ClientId(auth.clientId())) : Optional.empty();
        if (auth.method() == ClientAuth.Method.NONE) {
            // Public clients only: no secret to check (PKCE binds the code instead).
            if (found.isPresent() && found.get().isPublic()) return found.get();
            audit.clientAuthenticationFailed(auth.clientId(),
                    found.isEmpty() ? ClientAuthFailure.UNKNOWN_CLIENT : ClientAuthFailure.SECRET_REQUIRED);
            throw invalid(hint);
        }
        String secret = auth.secret().orElse("");
        if (found.isEmpty() || found.get().isPublic()) {
            slowVerify(secret, dummyHash());  // same work as a wrong secret
            audit.clientAuthenticationFailed(auth.clientId(),
                    found.isEmpty() ? ClientAuthFailure.UNKNOWN_CLIENT : ClientAuthFailure.PUBLIC_CLIENT);
            throw invalid(hint);
        }
        Client client = found.get();
        String storedHash = client.secretHash().orElseThrow();
        byte[] mac = mac(client.id(), secret);
        Verified v = verified.get(client.id());
        if (v != null && v.storedHash.equals(storedHash) && MessageDigest.isEqual(v.mac, mac)) {
            return client;
        }
        throttle.delayIfNeeded(client.id().value());
        if (slowVerify(secret, storedHash)) {
            verified.put(client.id(), new Verified(storedHash, mac));
            return client;
        }
        throttle.recordFailure(client.id().value());
        audit.clientAuthenticationFailed(auth.clientId(), ClientAuthFailure.WRONG_SECRET);
        throw invalid(hint);
    }

    /** Drops remembered verifications, e.g. after a client was changed through this process. */
    public void forget(ClientId id) {
        verified.remove(id);
    }

    /** A hash to verify against for unknown clients; made on first need, not at start-up. */
    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = hasher.hash("gatehouse-dummy-" + random.nextLong());
            dummyHash = h;
        }
        return h;
    }

    private boolean slowVerify(String secret, String hash) {
        hashPermits.acquireUninterruptibly();
        try {
            return hasher.verify(secret, hash);
        } finally {
            hashPermits.release();
        }
    }

    private byte[] mac(ClientId id, String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(macKey);
            m.update(id.value().getBytes(StandardCharsets.UTF_8));
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
