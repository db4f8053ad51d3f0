package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.token.keys.KeyImport;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A client's registered public keys, its JWK Set (RFC 7517): checked when the client is registered, and turned into
 * verifiers for its signed request objects (RFC 9101). Only public keys of the kinds Gatehouse verifies: RSA of at
 * least 2048 bits (RS256, PS256), EC P-256 (ES256) and Ed25519 (EdDSA), for signatures. Private and symmetric members
 * are refused: a JWK Set given to Gatehouse is public data.
 */
public final class ClientKeys {
    public static final int MAX_KEYS = 20;
    /** Members that only private or secret keys have (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private ClientKeys() {
    }

    /**
     * The keys of a JWK Set, each one checked.
     *
     * @throws IllegalArgumentException with a message that names the key (by position) and the problem
     */
    public static List<JWK> parse(String json) {
        if (json.isBlank() || json.length() > Client.MAX_JWKS_LENGTH) {
            throw new IllegalArgumentException("a JWK Set must be 1 to " + Client.MAX_JWKS_LENGTH + " characters");
        }
        List<Object> raw;
        try {
            raw = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(json), "keys");
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK Set: a JSON object with a \"keys\" array is expected");
        }
        if (raw == null || raw.isEmpty()) throw new IllegalArgumentException("the JWK Set has no keys");
        if (raw.size() > MAX_KEYS) throw new IllegalArgumentException("the JWK Set has more than " + MAX_KEYS + " keys");
        List<JWK> keys = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String which = "key " + (i + 1) + " of the JWK Set";
            if (!(raw.get(i) instanceof Map<?, ?> m)) throw new IllegalArgumentException(which + " is not a JSON object");
            for (String member : PRIVATE_MEMBERS) {
                if (m.containsKey(member)) {
                    throw new IllegalArgumentException(which + " has the private or secret member \"" + member
                            + "\": register public keys only");
                }
            }
            JWK key;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) m;
                key = JWK.parse(object);
            } catch (ParseException | RuntimeException e) {
                throw new IllegalArgumentException(which + " is not a usable JWK: " + e.getMessage());
            }
            check(key, which);
            if (key.getKeyID() != null && !kids.add(key.getKeyID())) {
                throw new IllegalArgumentException(which + " repeats the kid of another key");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    /**
     * Checks a client's keys and request object algorithm together, as registered.
     *
     * @throws IllegalArgumentException when the keys are not acceptable, or none of them verifies the registered algorithm
     */
    public static void check(Client c) {
        if (c.jwks().isEmpty()) return;
        List<JWK> keys = parse(c.jwks().get());
        Optional<RequestObjectSigningAlg> alg = c.requestObjectSigningAlg().filter(RequestObjectSigningAlg::signed);
        if (alg.isPresent() && keys.stream().noneMatch(k -> algorithms(k).contains(alg.get()))) {
            throw new IllegalArgumentException("no key of the JWK Set can verify " + alg.get().wireName());
        }
    }

    /**
     * Verifiers for a signature with {@code alg}: the keys that can verify it, and when {@code kid} is given only the
     * ones with that kid. Keys from the JOSE header itself ({@code jwk}, {@code jku}, {@code x5c}, …) are never used.
     */
    public static List<JWSVerifier> verifiers(List<JWK> keys, RequestObjectSigningAlg alg, Optional<String> kid) {
        List<JWSVerifier> out = new ArrayList<>();
        for (JWK k : keys) {
            if (!algorithms(k).contains(alg) || kid.isPresent() && !kid.get().equals(k.getKeyID())) continue;
            try {
                out.add(switch (k) {
                    case RSAKey r -> new RSASSAVerifier(r);
                    case ECKey e -> new ECDSAVerifier(e);
                    case OctetKeyPair o -> Ed25519.verifier(o);
                    default -> throw new JOSEException("unsupported key type");
                });
            } catch (JOSEException e) {
                // checked at registration; a key that still cannot verify is skipped
            }
        }
        return out;
    }

    /** The request object algorithms a (checked) key can verify: by its type, narrowed by its own {@code alg} member. */
    static Set<RequestObjectSigningAlg> algorithms(JWK k) {
        Set<RequestObjectSigningAlg> byType = switch (k) {
            case RSAKey r -> EnumSet.of(RequestObjectSigningAlg.RS256, RequestObjectSigningAlg.PS256);
            case ECKey e -> EnumSet.of(RequestObjectSigningAlg.ES256);
            case OctetKeyPair o -> EnumSet.of(RequestObjectSigningAlg.EdDSA);
            default -> EnumSet.noneOf(RequestObjectSigningAlg.class);
        };
        if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) return Set.of();
        if (k.getAlgorithm() == null) return byType;
        // RFC 9864's fully-specified "Ed25519" names what EdDSA means here (Ed25519 keys only).
        String own = k.getAlgorithm().getName().equals("Ed25519") ? "EdDSA" : k.getAlgorithm().getName();
        return RequestObjectSigningAlg.fromWire(own).filter(byType::contains).map(Set::of).orElse(Set.of());
    }

    private static void check(JWK key, String which) {
        if (key.isPrivate()) throw new IllegalArgumentException(which + " is a private key: register public keys only");
        switch (key) {
            case RSAKey r -> {
                if (r.size() < KeyImport.MIN_RSA_BITS) {
                    throw new IllegalArgumentException(which + " is an RSA key of " + r.size() + " bits: at least "
                            + KeyImport.MIN_RSA_BITS + " bits are needed");
                }
            }
            case ECKey e -> {
                if (!Curve.P_256.equals(e.getCurve())) {
                    throw new IllegalArgumentException(which + " is on curve " + e.getCurve() + ": only P-256 (ES256)");
                }
            }
            case OctetKeyPair o -> {
                if (!Curve.Ed25519.equals(o.getCurve())) {
                    throw new IllegalArgumentException(which + " is on curve " + o.getCurve() + ": only Ed25519 (EdDSA)");
                }
            }
            default -> throw new IllegalArgumentException(which + " has key type " + key.getKeyType()
                    + ": use RSA, EC P-256 or Ed25519");
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException(which + " is not for signatures (use \"sig\" or leave use out)");
        }
        if (algorithms(key).isEmpty()) {
            throw new IllegalArgumentException(which + " is meant for alg " + key.getAlgorithm().getName()
                    + ", which does not fit the key or is not one of RS256, PS256, ES256, EdDSA");
        }
    }
}
