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
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Key material: new private keys (kid = RFC 7638 thumbprint) and stored keys turned into signers, verifiers and
 * public JWKs (with their certificate chain). Parsing happens here once per key, never per request.
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
            return new SigningKeys.Key(sk.kid(), sk.alg(), jwsAlgorithm(sk.alg()), signer, verifier, pub, sk.state(),
                    sk.certificateChain().isEmpty() ? Optional.empty()
                            : Optional.of(thumbprint("SHA-1", new Base64(sk.certificateChain().getFirst()))));
        } catch (ParseException | JOSEException | ClassCastException | IllegalStateException e) {
            throw new IllegalStateException("signing key " + sk.kid() + " (" + sk.alg() + ") cannot be loaded: "
                    + (e instanceof IllegalStateException && e.getMessage() != null ? e.getMessage() : "not a usable "
                    + sk.alg() + " private key"), e);
        }
    }

    /**
     * The public JWK as published: the stored kid, use=sig, alg, and, when the key has a certificate chain, x5c (the
     * chain, leaf first), x5t and x5t#S256 (SHA-1 and SHA-256 thumbprints of the leaf's DER).
     */
    @SuppressWarnings("deprecation")  // x5t (SHA-1): deprecated in Nimbus, still expected by .NET-era validators
    private static JWK publicJwk(StoredKey sk, JWK jwk) {
        JWK pub = jwk.toPublicJWK();
        List<Base64> chain = sk.certificateChain().stream().map(Base64::new).toList();
        Base64URL x5t = chain.isEmpty() ? null : thumbprint("SHA-1", chain.getFirst());
        Base64URL x5t256 = chain.isEmpty() ? null : thumbprint("SHA-256", chain.getFirst());
        List<Base64> x5c = chain.isEmpty() ? null : chain;
        return switch (pub) {
            case com.nimbusds.jose.jwk.RSAKey r -> new com.nimbusds.jose.jwk.RSAKey.Builder(r).keyID(sk.kid())
                    .keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm(sk.alg())).x509CertChain(x5c)
                    .x509CertThumbprint(x5t).x509CertSHA256Thumbprint(x5t256).build();
            case com.nimbusds.jose.jwk.ECKey e -> new com.nimbusds.jose.jwk.ECKey.Builder(e).keyID(sk.kid())
                    .keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm(sk.alg())).x509CertChain(x5c)
                    .x509CertThumbprint(x5t).x509CertSHA256Thumbprint(x5t256).build();
            case OctetKeyPair o -> new OctetKeyPair.Builder(o).keyID(sk.kid()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(jwsAlgorithm(sk.alg())).x509CertChain(x5c)
                    .x509CertThumbprint(x5t).x509CertSHA256Thumbprint(x5t256).build();
            default -> throw new IllegalStateException("unsupported key type");
        };
    }

    /** The base64url digest of a certificate's DER: x5t (SHA-1) or x5t#S256 (SHA-256). */
    public static Base64URL thumbprint(String digest, Base64 certificate) {
        try {
            return Base64URL.encode(MessageDigest.getInstance(digest).digest(certificate.decode()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
}
