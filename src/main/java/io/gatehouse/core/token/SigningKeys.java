package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.core.token.keys.KeyRing;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's view of the signing keys, kept in memory and refreshed from the {@link KeyStore} ({@link #reload}: on
 * a schedule, and once for an unknown kid), so that signing and verifying never read the database. The active key
 * of an algorithm signs; every stored key (next, active, retired) is published and verifies. Signers, verifiers and
 * the public JWKS document are built once per key, never per request.
 */
public final class SigningKeys {
    /**
     * A loaded key: everything needed to sign and verify with it.
     *
     * @param x5t the base64url SHA-1 thumbprint of its certificate (empty while it has none)
     */
    public record Key(String kid, SigningAlg alg, JWSAlgorithm jwsAlgorithm, JWSSigner signer, JWSVerifier verifier,
                      JWK publicJwk, State state, Optional<Base64URL> x5t) {
        @Override
        public String toString() {
            return "Key[kid=" + kid + ", alg=" + alg + ", state=" + state + "]";
        }
    }

    private record Loaded(String privateKey, State state, List<String> certificateChain, Key key) {
    }

    private final KeyStore store;
    private final KeyProtection protection;
    private final Clock clock;
    private volatile Map<SigningAlg, Key> active = Map.of();
    private volatile Map<String, Key> byKid = Map.of();
    private volatile KeyRing ring = new KeyRing(List.of());
    private volatile String publicJwks = "{\"keys\":[]}";
    private Map<String, Loaded> loaded = Map.of();  // guarded by this: parsed keys, reused while unchanged

    public SigningKeys(KeyStore store, KeyProtection protection, Clock clock) {
        this.store = store;
        this.protection = protection;
        this.clock = clock;
    }

    /**
     * Loads the stored keys and creates an active key for each of {@code algs} that has none (a first start: nothing
     * was published or signed yet, so nothing waits). A key that lost the race to another node's is simply not
     * stored. Later keys come from {@link io.gatehouse.core.token.keys.KeyRotation}.
     */
    public synchronized void ensure(Collection<SigningAlg> algs) {
        reload();
        List<SigningAlg> missing = algs.stream().distinct()
                .filter(a -> ring.active(a).isEmpty() && ring.next(a).isEmpty()).toList();
        if (missing.isEmpty()) return;
        // Generated in parallel: RSA key generation dominates a first start.
        missing.parallelStream().map(a -> newKey(a, State.ACTIVE)).toList().forEach(store::insert);
        reload();
    }

    /** A new key of {@code alg} in {@code state} with a self-signed certificate, sealed for storage (not stored yet). */
    public StoredKey newKey(SigningAlg alg, State state) {
        return newStoredKey(KeyMaterial.generate(alg), alg, state, List.of());
    }

    /**
     * A key (a private JWK whose kid is the key's) in {@code state}, sealed for storage, created now (not stored yet).
     *
     * @param certificateChain base64 DER, leaf first; empty makes a self-signed certificate
     */
    public StoredKey newStoredKey(JWK privateJwk, SigningAlg alg, State state, List<String> certificateChain) {
        String kid = privateJwk.getKeyID();
        List<String> chain = certificateChain.isEmpty()
                ? KeyCertificates.selfSigned(privateJwk, kid, alg, clock.instant()) : certificateChain;
        KeyProtection.Sealed sealed = protection.seal(kid, alg, privateJwk.toJSONString());
        return StoredKey.created(kid, alg, state, sealed.value(), clock.instant())
                .withPrivateKey(sealed.value(), sealed.kekId()).withCertificateChain(chain);
    }

    /**
     * A self-signed certificate for a stored key that has none (a key made before keys had certificates).
     *
     * @throws KeyProtection.Failure when the key cannot be opened
     */
    public List<String> selfSignedCertificate(StoredKey key) {
        try {
            return KeyCertificates.selfSigned(JWK.parse(protection.open(key)), key.kid(), key.alg(), clock.instant());
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + key.kid() + " (" + key.alg() + ") cannot be loaded", e);
        }
    }

    /** The key that signs for an algorithm: the active one, as this node last loaded it. */
    public Key forAlg(SigningAlg alg) {
        Key k = active.get(alg);
        if (k != null) return k;
        ensure(List.of(alg));
        k = active.get(alg);
        if (k == null) throw new IllegalStateException("no active " + alg + " key");
        return k;
    }

    /** The published key with this kid, reloading once in case another node created it; empty for a null kid. */
    public Optional<Key> forKid(String kid) {
        if (kid == null) return Optional.empty();  // Map.of rejects null keys with a NullPointerException
        Key k = byKid.get(kid);
        if (k == null) {
            reload();
            k = byKid.get(kid);
        }
        return Optional.ofNullable(k);
    }

    /**
     * Signs and verifies a throw-away payload with every key, so that the first real request does not pay for
     * loading and initialising the signing code (start-up runs this on a background thread).
     */
    public void warmUp() {
        for (Key k : all()) {
            try {
                com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                        new com.nimbusds.jose.JWSHeader.Builder(k.jwsAlgorithm()).keyID(k.kid()).build(),
                        new com.nimbusds.jose.Payload(Map.of("warm", "up")));
                jws.sign(k.signer());
                com.nimbusds.jose.JWSObject.parse(jws.serialize()).verify(k.verifier());
            } catch (JOSEException | ParseException e) {
                throw new IllegalStateException("key " + k.kid() + " cannot sign", e);
            }
        }
    }

    /** RFC 7517 JWK Set of every published key (next, active, retired), public parts only. */
    public String publicJwksJson() {
        return publicJwks;
    }

    /** Every published key. */
    public List<Key> all() {
        return List.copyOf(byKid.values());
    }

    /** The stored keys as last loaded (states and times), for the lifecycle and metrics. */
    public KeyRing ring() {
        return ring;
    }

    /**
     * Reads the keys from the store and swaps this node's view in one step. Keys whose stored form did not change are
     * not parsed again.
     *
     * @throws KeyProtection.Failure or IllegalStateException naming the key that cannot be opened or loaded
     */
    public synchronized void reload() {
        List<StoredKey> rows = store.all();
        Map<SigningAlg, Key> a = new EnumMap<>(SigningAlg.class);
        Map<String, Key> k = new LinkedHashMap<>();
        Map<String, Loaded> cache = new HashMap<>();
        List<JWK> pub = new ArrayList<>();
        for (StoredKey sk : rows) {
            Loaded l = loaded.get(sk.kid());
            if (l == null || !l.privateKey().equals(sk.privateKey()) || l.state() != sk.state()
                    || !l.certificateChain().equals(sk.certificateChain())) {
                l = new Loaded(sk.privateKey(), sk.state(), sk.certificateChain(), KeyMaterial.load(sk, protection.open(sk)));
            }
            cache.put(sk.kid(), l);
            if (sk.state() == State.ACTIVE) a.put(sk.alg(), l.key());
            k.put(sk.kid(), l.key());
            pub.add(l.key().publicJwk());
        }
        loaded = cache;
        ring = new KeyRing(rows);
        byKid = Map.copyOf(k);
        active = Map.copyOf(a);
        publicJwks = new JWKSet(pub).toString(true);
    }

    public static JWSAlgorithm jwsAlgorithm(SigningAlg alg) {
        return KeyMaterial.jwsAlgorithm(alg);
    }
}
