package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.core.model.SigningAlg;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * X.509 certificates of the signing keys (Bouncy Castle): the self-signed certificate made for a key that has none,
 * and the check that a certificate belongs to a key. Certificates are kept as base64 DER, leaf first.
 *
 * <p>A generated certificate: subject and issuer {@code CN=Gatehouse signing key <kid>} (the kid alone when that is
 * longer than the 64 characters X.509 allows a common name), signed by the key itself (SHA256withRSA, SHA256withECDSA,
 * Ed25519), valid from an hour before it was made (clocks behind) to 9999-12-31T23:59:59Z, RFC 5280's "no
 * well-defined expiration date": how long a key signs and stays published is the key lifecycle's business, and a
 * certificate that expired under a key still in use would break validators that check the dates. Extensions: basic
 * constraints CA=false and key usage digitalSignature (both critical), subject key identifier.
 */
public final class KeyCertificates {
    private static final Date NO_EXPIRY = Date.from(Instant.parse("9999-12-31T23:59:59Z"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCertificates() {
    }

    /** A self-signed certificate for {@code privateJwk}: the chain of one certificate (base64 DER). */
    public static List<String> selfSigned(JWK privateJwk, String kid, SigningAlg alg, Instant now) {
        try {
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName(kid)).build();
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKeyInfo(privateJwk));
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)), NO_EXPIRY, name, spki);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new BcX509ExtensionUtils().createSubjectKeyIdentifier(spki));
            X509CertificateHolder cert = b.build(signer(privateJwk, alg));
            return List.of(Base64.getEncoder().encodeToString(cert.getEncoded()));
        } catch (IOException | GeneralSecurityException | JOSEException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate for key " + kid + " (" + alg + ")", e);
        }
    }

    /**
     * Whether the certificate (base64 DER) certifies the public part of {@code key}.
     *
     * @throws IllegalArgumentException when it is not a readable X.509 certificate
     */
    public static boolean matches(JWK key, String certificate) {
        AsymmetricKeyParameter pub;
        try {
            X509CertificateHolder holder = new X509CertificateHolder(Base64.getDecoder().decode(certificate));
            pub = PublicKeyFactory.createKey(holder.getSubjectPublicKeyInfo());
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a readable X.509 certificate");
        } catch (RuntimeException e) {  // Bouncy Castle's answer to a key type it does not know
            return false;
        }
        return switch (key) {
            case RSAKey r when pub instanceof RSAKeyParameters p && !p.isPrivate() ->
                    p.getModulus().equals(r.getModulus().decodeToBigInteger())
                            && p.getExponent().equals(r.getPublicExponent().decodeToBigInteger());
            case ECKey e when pub instanceof ECPublicKeyParameters p -> {
                var q = p.getQ().normalize();
                yield p.getParameters().getCurve().getFieldSize() == 256
                        && q.getAffineXCoord().toBigInteger().equals(e.getX().decodeToBigInteger())
                        && q.getAffineYCoord().toBigInteger().equals(e.getY().decodeToBigInteger())
                        && sameCurve(e, p);
            }
            case OctetKeyPair o when pub instanceof Ed25519PublicKeyParameters p ->
                    Arrays.equals(p.getEncoded(), o.getX().decode());
            default -> false;
        };
    }

    private static boolean sameCurve(ECKey key, ECPublicKeyParameters p) {
        var p256 = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("P-256");
        return com.nimbusds.jose.jwk.Curve.P_256.equals(key.getCurve()) && p.getParameters().getCurve().equals(p256.getCurve())
                && p.getParameters().getG().equals(p256.getG());
    }

    /** The notAfter of a certificate (base64 DER). @throws IllegalArgumentException when it is not one */
    public static Instant notAfter(String certificate) {
        try {
            return new X509CertificateHolder(Base64.getDecoder().decode(certificate)).getNotAfter().toInstant();
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a readable X.509 certificate");
        }
    }

    /** The subject of a certificate (base64 DER) in RFC 4514 form. */
    public static String subject(String certificate) {
        try {
            return new X509CertificateHolder(Base64.getDecoder().decode(certificate)).getSubject().toString();
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a readable X.509 certificate");
        }
    }

    private static String commonName(String kid) {
        String cn = "Gatehouse signing key " + kid;
        if (cn.length() <= 64) return cn;
        return kid.length() <= 64 ? kid : kid.substring(0, 64);
    }

    private static byte[] publicKeyInfo(JWK jwk) throws JOSEException {
        return switch (jwk) {
            case RSAKey r -> r.toPublicKey().getEncoded();
            case ECKey e -> e.toPublicKey().getEncoded();
            case OctetKeyPair o -> Ed25519.publicKeyInfo(o);
            default -> throw new JOSEException("unsupported key type " + jwk.getKeyType());
        };
    }

    private static ContentSigner signer(JWK jwk, SigningAlg alg) throws JOSEException, GeneralSecurityException,
            OperatorCreationException {
        PrivateKey key;
        String algorithm;
        switch (jwk) {
            case RSAKey r -> {
                key = r.toPrivateKey();
                algorithm = "SHA256withRSA";  // also for a PS256 key: the certificate's signature is not the JWTs'
            }
            case ECKey e -> {
                key = e.toPrivateKey();
                algorithm = "SHA256withECDSA";
            }
            case OctetKeyPair o -> {
                key = Ed25519.privateKey(o);
                algorithm = "Ed25519";
            }
            default -> throw new JOSEException("unsupported key type " + jwk.getKeyType() + " for " + alg);
        }
        return new JcaContentSignerBuilder(algorithm).build(key);
    }
}
