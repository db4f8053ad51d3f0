package io.gatehouse.testing;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks the certificates published in a JWKS independently of Gatehouse's code (the JDK's X.509 parser): every key
 * has x5c, x5t and x5t#S256; the leaf certifies the JWK's public key; the thumbprints are the leaf's.
 */
public final class JwksCertificates {
    private JwksCertificates() {
    }

    /** @return the leaf certificate of every key, in JWKS order */
    public static List<X509Certificate> assertConsistent(String jwksJson) {
        try {
            JWKSet set = JWKSet.parse(jwksJson);
            assertFalse(set.getKeys().isEmpty(), "no keys");
            return set.getKeys().stream().map(JwksCertificates::assertConsistent).toList();
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWKS: " + jwksJson, e);
        }
    }

    @SuppressWarnings("deprecation")  // getX509CertThumbprint: x5t is SHA-1
    public static X509Certificate assertConsistent(JWK jwk) {
        String kid = jwk.getKeyID();
        assertNotNull(jwk.getX509CertChain(), kid + ": x5c");
        assertFalse(jwk.getX509CertChain().isEmpty(), kid + ": x5c");
        byte[] der = jwk.getX509CertChain().getFirst().decode();
        assertNotNull(jwk.getX509CertThumbprint(), kid + ": x5t");
        assertNotNull(jwk.getX509CertSHA256Thumbprint(), kid + ": x5t#S256");
        assertEquals(b64url(digest("SHA-1", der)), jwk.getX509CertThumbprint().toString(), kid + ": x5t");
        assertEquals(b64url(digest("SHA-256", der)), jwk.getX509CertSHA256Thumbprint().toString(), kid + ": x5t#S256");
        X509Certificate cert = certificate(der);
        assertSameKey(jwk, cert.getPublicKey());
        return cert;
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new AssertionError("not an X.509 certificate", e);
        }
    }

    public static void assertSameKey(JWK jwk, PublicKey pub) {
        String kid = jwk.getKeyID();
        switch (jwk) {
            case RSAKey r -> {
                RSAPublicKey p = (RSAPublicKey) pub;
                assertEquals(r.getModulus().decodeToBigInteger(), p.getModulus(), kid + ": modulus");
                assertEquals(r.getPublicExponent().decodeToBigInteger(), p.getPublicExponent(), kid + ": exponent");
            }
            case ECKey e -> {
                ECPublicKey p = (ECPublicKey) pub;
                assertEquals(e.getX().decodeToBigInteger(), p.getW().getAffineX(), kid + ": x");
                assertEquals(e.getY().decodeToBigInteger(), p.getW().getAffineY(), kid + ": y");
            }
            case OctetKeyPair o -> {
                byte[] spki = pub.getEncoded();  // 12 bytes of Ed25519 SubjectPublicKeyInfo header, then the key
                assertEquals(44, spki.length, kid + ": Ed25519 SubjectPublicKeyInfo");
                assertArrayEquals(o.getX().decode(), Arrays.copyOfRange(spki, 12, 44), kid + ": x");
            }
            default -> fail(kid + ": unexpected key type " + jwk.getKeyType());
        }
    }

    public static byte[] digest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
