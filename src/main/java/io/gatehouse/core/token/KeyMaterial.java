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
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.text.ParseException;

/**
 * Key material: new private keys (kid = RFC 7638 thumbprint) and stored keys turned into signers, verifiers and
 * public JWKs. Parsing happens here once per key, never per request.
 */
public final class KeyMaterial {
    private KeyMaterial() {
    }

    /** A new private key for {@code alg} as a JWK (RSA 2048, P-256 or Ed25519). */
    public static JWK generate(SigningAlg alg) {
        try {
            return switch (alg) {
                case RS256, PS256 -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
                        .algorithm(jwsAlgorithm(alg)).keyIDFromThumbprint(true).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint(true).generate();
                case EdDSA -> Ed25519.generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    /**
     * A stored key, opened (its private JWK JSON), ready to sign and verify.
     *
     * @throws IllegalStateException naming the kid when the key material is not a usable key of its algorithm
     */
    public static SigningKeys.Key load(StoredKey sk, String privateJwk) {
        try {
            JWK jwk = JWK.parse(privateJwk);
            if (!jwk.isPrivate()) throw new IllegalStateException("signing key " + sk.kid() + " has no private part");
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
            JWK pub = publicJwk(sk, jwk);
            return new SigningKeys.Key(sk.kid(), sk.alg(), jwsAlgorithm(sk.alg()), signer, verifier, pub, sk.state());
        } catch (ParseException | JOSEException | ClassCastException | IllegalStateException e) {
            throw new IllegalStateException("signing key " + sk.kid() + " (" + sk.alg() + ") cannot be loaded: "
                    + (e instanceof IllegalStateException && e.getMessage() != null ? e.getMessage() : "not a usable "
                    + sk.alg() + " private key"), e);
        }
    }

    /** The public JWK as published: the stored kid, use=sig, alg. */
    private static JWK publicJwk(StoredKey sk, JWK jwk) {
        JWK pub = jwk.toPublicJWK();
        return switch (pub) {
            case com.nimbusds.jose.jwk.RSAKey r -> new com.nimbusds.jose.jwk.RSAKey.Builder(r).keyID(sk.kid())
                    .keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm(sk.alg())).build();
            case com.nimbusds.jose.jwk.ECKey e -> new com.nimbusds.jose.jwk.ECKey.Builder(e).keyID(sk.kid())
                    .keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm(sk.alg())).build();
            case OctetKeyPair o -> new OctetKeyPair.Builder(o).keyID(sk.kid()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(jwsAlgorithm(sk.alg())).build();
            default -> throw new IllegalStateException("unsupported key type");
        };
    }

    public static JWSAlgorithm jwsAlgorithm(SigningAlg alg) {
        return switch (alg) {
            case RS256 -> JWSAlgorithm.RS256;
            case ES256 -> JWSAlgorithm.ES256;
            case PS256 -> JWSAlgorithm.PS256;
            case EdDSA -> JWSAlgorithm.EdDSA;
        };
    }
}
