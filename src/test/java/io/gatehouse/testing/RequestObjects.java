package io.gatehouse.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A relying party's side of request objects (RFC 9101) for tests: its key pairs (RSA, EC P-256, Ed25519, generated once
 * per JVM), its public JWK Set, and request objects signed with them, unsigned, or tampered with.
 */
public final class RequestObjects {
    /** The RP's signing keys: public JWKs with kids "rp-rsa", "rp-ec", "rp-ed"; signers kept apart. */
    public static final RequestObjects RP = new RequestObjects("rp");
    /** Another party's keys with the same kids (a forger who knows the kids). */
    public static final RequestObjects OTHER = new RequestObjects("rp");

    public final RSAKey rsa;
    public final ECKey ec;
    public final OctetKeyPair ed;
    private final KeyPair edPair;

    private RequestObjects(String kidPrefix) {
        try {
            rsa = new RSAKeyGenerator(2048).keyID(kidPrefix + "-rsa").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID(kidPrefix + "-ec").generate();
            edPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = edPair.getPublic().getEncoded();
            ed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                    .keyID(kidPrefix + "-ed").build();
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK Set of these keys (all three), as a client registers it. */
    public String jwks() {
        return jwks(rsa, ec, ed);
    }

    /** A JWK Set of the public parts of the given keys. */
    public static String jwks(JWK... keys) {
        return new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString(true);
    }

    /** Signs {@code claims} with the key for {@code alg} (RS256 and PS256: RSA; ES256: EC; EdDSA: Ed25519), with its kid. */
    public String sign(JWSAlgorithm alg, Map<String, Object> claims) {
        return sign(alg, claims, h -> h);
    }

    /** Signs with the header adjusted first (another kid, a typ, crit, …). */
    public String sign(JWSAlgorithm alg, Map<String, Object> claims, UnaryOperator<JWSHeader.Builder> header) {
        try {
            JWSSigner signer;
            String kid;
            if (alg.equals(JWSAlgorithm.ES256)) {
                signer = new ECDSASigner(ec);
                kid = ec.getKeyID();
            } else if (alg.equals(JWSAlgorithm.EdDSA)) {
                signer = edSigner();
                kid = ed.getKeyID();
            } else {
                signer = new RSASSASigner(rsa);
                kid = rsa.getKeyID();
            }
            JWSObject jws = new JWSObject(header.apply(new JWSHeader.Builder(alg).keyID(kid)).build(), new Payload(claims));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned request object ({@code alg: none}). */
    public static String unsigned(Map<String, Object> claims) {
        return new PlainObject(new PlainHeader(), new Payload(claims)).serialize();
    }

    /** The same JWS with its payload replaced by {@code claims} (the signature no longer fits). */
    public static String tampered(String jws, Map<String, Object> claims) {
        String[] parts = jws.split("\\.");
        return parts[0] + "." + new Payload(claims).toBase64URL() + "." + parts[2];
    }

    private JWSSigner edSigner() {
        return new JWSSigner() {
            private final JCAContext jca = new JCAContext();

            @Override
            public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                try {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(edPair.getPrivate());
                    s.update(signingInput);
                    return Base64URL.encode(s.sign());
                } catch (GeneralSecurityException e) {
                    throw new JOSEException("Ed25519 signing failed", e);
                }
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return Set.of(JWSAlgorithm.EdDSA);
            }

            @Override
            public JCAContext getJCAContext() {
                return jca;
            }
        };
    }

    /** The RSA private key as a JWK Set (what must be refused at registration). */
    public String privateJwks() {
        return new JWKSet(List.of(rsa)).toString(false);
    }
}
