package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * EdDSA (Ed25519) over the JDK's own {@code Signature} (so the Corretto provider accelerates it),
 * because Nimbus' Ed25519 classes need Google Tink. Nimbus still does all JOSE encoding.
 */
final class Ed25519 {
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

    private Ed25519() {
    }

    static OctetKeyPair generate() throws JOSEException {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] d = tail(kp.getPrivate().getEncoded());
            byte[] x = tail(kp.getPublic().getEncoded());
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d))
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).keyIDFromThumbprint().build();
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Ed25519 is not available", e);
        }
    }

    /** The JCA private key of an Ed25519 JWK (for signing its certificate). */
    static PrivateKey privateKey(OctetKeyPair okp) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, okp.getD().decode())));
    }

    /** The X.509 SubjectPublicKeyInfo (DER) of an Ed25519 JWK. */
    static byte[] publicKeyInfo(OctetKeyPair okp) {
        return concat(X509_PREFIX, okp.getX().decode());
    }

    static JWSSigner signer(OctetKeyPair okp) throws JOSEException {
        try {
            PrivateKey key = privateKey(okp);
            return new JWSSigner() {
                private final JCAContext jca = new JCAContext();

                @Override
                public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                    try {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initSign(key);
                        s.update(signingInput);
                        return Base64URL.encode(s.sign());
                    } catch (GeneralSecurityException e) {
                        throw new JOSEException("Ed25519 signing failed", e);
                    }
                }

                @Override
                public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                    return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
                }

                @Override
                public JCAContext getJCAContext() {
                    return jca;
                }
            };
        } catch (GeneralSecurityException e) {
            throw new JOSEException("bad Ed25519 key", e);
        }
    }

    static JWSVerifier verifier(OctetKeyPair okp) throws JOSEException {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKeyInfo(okp)));
            return new JWSVerifier() {
                private final JCAContext jca = new JCAContext();

                @Override
                public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
                    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
                            && !JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
                        return false;
                    }
                    try {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initVerify(key);
                        s.update(signingInput);
                        return s.verify(signature.decode());
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                }

                @Override
                public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                    return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
                }

                @Override
                public JCAContext getJCAContext() {
                    return jca;
                }
            };
        } catch (GeneralSecurityException e) {
            throw new JOSEException("bad Ed25519 key", e);
        }
    }

    private static byte[] tail(byte[] encoded) {
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
