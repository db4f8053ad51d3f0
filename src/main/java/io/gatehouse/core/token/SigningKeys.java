package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's signing keys: one per algorithm, generated on first use, kept in the {@link KeyStore}
 * so every node signs with and publishes the same keys. The kid is the RFC 7638 thumbprint. Signers,
 * verifiers and the public JWKS document are built once, never per request.
 */
public final class SigningKeys {
    /** A loaded key: everything needed to sign and verify with it. */
    public record Key(String kid, SigningAlg alg, JWSAlgorithm jwsAlgorithm, JWSSigner signer, JWSVerifier verifier,
                      JWK publicJwk) {
        @Override
        public String toString() {
            return "Key[kid=" + kid + ", alg=" + alg + "]";
        }
    }

    private final KeyStore store;
    private final Clock clock;
    private volatile Map<SigningAlg, Key> byAlg = Map.of();
    private volatile Map<String, Key> byKid = Map.of();
    private volatile String publicJwks = "{\"keys\":[]}";

    public SigningKeys(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads stored keys and generates (and stores) the missing ones for {@code algs}. */
    public synchronized void ensure(Collection<SigningAlg> algs) {
        reload();
        List<SigningAlg> missing = algs.stream().filter(a -> !byAlg.containsKey(a)).distinct().toList();
        if (missing.isEmpty()) return;
        // Generated in parallel: RSA key generation dominates a first start.
        missing.parallelStream().map(this::generate).toList().forEach(store::insertIfNoneFor);
        reload();
    }

    /** The key for an algorithm, generating it on first use. */
    public Key forAlg(SigningAlg alg) {
        Key k = byAlg.get(alg);
        if (k != null) return k;
        ensure(List.of(alg));
        return byAlg.get(alg);
    }

    /** The key with this kid, reloading once in case another node generated it; empty for a null kid. */
    public Optional<Key> forKid(String kid) {
        if (kid == null) return Optional.empty();  // Map.of rejects null keys with a NullPointerException
        Key k = byKid.get(kid);
        if (k == null) {
            synchronized (this) {
                reload();
            }
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

    /** RFC 7517 JWK Set with public keys only. */
    public String publicJwksJson() {
        return publicJwks;
    }

    public List<Key> all() {
        return List.copyOf(byKid.values());
    }

    private void reload() {
        Map<SigningAlg, Key> a = new EnumMap<>(SigningAlg.class);
        Map<String, Key> k = new java.util.LinkedHashMap<>();
        List<JWK> pub = new ArrayList<>();
        for (StoredKey sk : store.all()) {
            Key key = load(sk);
            a.putIfAbsent(sk.alg(), key);
            k.put(key.kid(), key);
            pub.add(key.publicJwk());
        }
        byAlg = Map.copyOf(a);
        byKid = Map.copyOf(k);
        publicJwks = new JWKSet(pub).toString(true);
    }

    private StoredKey generate(SigningAlg alg) {
        try {
            JWK jwk = switch (alg) {
                case RS256, PS256 -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
                        .algorithm(jwsAlgorithm(alg)).keyIDFromThumbprint(true).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint(true).generate();
                case EdDSA -> Ed25519.generate();
            };
            return new StoredKey(jwk.getKeyID(), alg, jwk.toJSONString(), clock.instant());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    private static Key load(StoredKey sk) {
        try {
            JWK jwk = JWK.parse(sk.privateJwk());
            JWSSigner signer;
            JWSVerifier verifier;
            switch (sk.alg()) {
                case RS256, PS256 -> {
                    signer = new RSASSASigner(jwk.toRSAKey());
                    verifier = new RSASSAVerifier(jwk.toRSAKey().toPublicJWK());
                }
                case ES256 -> {
                    signer = new ECDSASigner(jwk.toECKey());
                    verifier = new ECDSAVerifier(jwk.toECKey().toPublicJWK());
                }
                case EdDSA -> {
                    signer = Ed25519.signer((OctetKeyPair) jwk);
                    verifier = Ed25519.verifier((OctetKeyPair) jwk);
                }
                default -> throw new IllegalStateException();
            }
            return new Key(sk.kid(), sk.alg(), jwsAlgorithm(sk.alg()), signer, verifier, jwk.toPublicJWK());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("stored key " + sk.kid() + " cannot be loaded", e);
        }
    }

    public static JWSAlgorithm jwsAlgorithm(SigningAlg alg) {
        return switch (alg) {
            case RS256 -> JWSAlgorithm.RS256;
            case ES256 -> JWSAlgorithm.ES256;
            case PS256 -> JWSAlgorithm.PS256;
            case EdDSA -> JWSAlgorithm.EdDSA;
        };
    }

    static boolean isRsa(JWK jwk) {
        return jwk instanceof RSAKey;
    }

    static boolean isEc(JWK jwk) {
        return jwk instanceof ECKey;
    }
}
