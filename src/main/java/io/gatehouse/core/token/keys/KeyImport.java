package io.gatehouse.core.token.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.KeyCertificates;
import io.gatehouse.core.token.KeyMaterial;
import io.gatehouse.core.token.SigningKeys;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a private signing key from a file for {@code keys import}: PEM (PKCS#8, PKCS#1 RSA or SEC1 EC private key,
 * encrypted PKCS#8 or legacy OpenSSL encryption with a password; optionally with its certificate chain, leaf first),
 * a JWK with its private members (or a JWK set of one key; its {@code x5c} is the chain), or PKCS#12 (with a
 * password). Only keys Gatehouse can sign with are accepted: RSA of at least 2048 bits (RS256, PS256), EC P-256
 * (ES256), Ed25519 (EdDSA). Everything wrong is an {@link Invalid} whose message names the problem and never
 * holds key material; nothing is stored here ({@link KeyRotation#importKey} stores).
 */
public final class KeyImport {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_KID_LENGTH = 200;

    /** The file cannot be imported; the message says why. */
    public static final class Invalid extends KeyRotation.Refused {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * A key ready to store.
     *
     * @param privateJwk       the private key as a JWK with kid, use=sig and alg (and nothing else)
     * @param certificateChain base64 DER, leaf first, as found in the file (empty: a self-signed one is made)
     * @param warnings         things the operator should know (an expired certificate)
     */
    public record Imported(String kid, SigningAlg alg, JWK privateJwk, List<String> certificateChain, List<String> warnings) {
        @Override
        public String toString() {
            return "Imported[kid=" + kid + ", alg=" + alg + "]";
        }
    }

    /** A private key as found in the file, before the kid and algorithm are settled. */
    private record Found(JWK key, List<String> chain, Optional<String> ownKid, Optional<String> ownAlg) {
    }

    private KeyImport() {
    }

    /**
     * @param file     the file's bytes
     * @param password for an encrypted PEM key or a PKCS#12 file
     * @param alg      the algorithm to sign with; default from the key (RSA: RS256, or the JWK's PS256; P-256: ES256;
     *                 Ed25519: EdDSA)
     * @param kid      the kid to publish; default the JWK's own kid, else the RFC 7638 thumbprint
     * @param now      to tell whether the certificate has expired
     */
    public static Imported read(byte[] file, Optional<char[]> password, Optional<SigningAlg> alg, Optional<String> kid,
                                Instant now) {
        Found found = parse(file, password);
        JWK key = found.key();
        check(key);
        SigningAlg signing = algorithm(key, alg, found.ownAlg());
        String id = kid.map(k -> checkedKid(k, "--kid")).orElseGet(() -> found.ownKid()
                .map(k -> checkedKid(k, "the JWK's kid (give another with --kid)")).orElseGet(() -> thumbprint(key)));
        JWK clean = clean(key, id, signing);
        probe(clean, signing);
        List<String> warnings = new ArrayList<>();
        if (!found.chain().isEmpty()) checkChain(clean, found.chain(), now, warnings);
        return new Imported(id, signing, clean, found.chain(), List.copyOf(warnings));
    }

    private static Found parse(byte[] file, Optional<char[]> password) {
        if (file.length == 0) throw new Invalid("the file is empty");
        String text = new String(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) return jwk(trimmed);
        if (text.contains("-----BEGIN ")) return pem(text, password);
        if ((file[0] & 0xff) == 0x30) return pkcs12(file, password);
        throw new Invalid("not a PEM, JWK or PKCS#12 file");
    }

    // --- JWK ---

    private static Found jwk(String json) {
        JWK jwk;
        try {
            Map<String, Object> object = JSONObjectUtils.parse(json);
            if (object.containsKey("keys")) {
                List<JWK> keys = JWKSet.parse(object).getKeys();
                if (keys.size() != 1) throw new Invalid("a JWK set of " + keys.size() + " keys: import one key at a time");
                jwk = keys.getFirst();
            } else {
                jwk = JWK.parse(object);
            }
        } catch (ParseException e) {
            throw new Invalid("not a valid JWK: " + shorten(e.getMessage()));
        }
        if (jwk instanceof OctetSequenceKey) {
            throw new Invalid("a symmetric (kty oct) key cannot sign tokens that others verify with the JWKS");
        }
        if (!jwk.isPrivate()) throw new Invalid("the JWK is a public key only: a signing key needs its private members");
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new Invalid("the JWK is for use '" + jwk.getKeyUse().identifier() + "', not 'sig'");
        }
        List<String> chain = jwk.getX509CertChain() == null ? List.of()
                : jwk.getX509CertChain().stream().map(Base64::toString).toList();
        return new Found(jwk, chain, Optional.ofNullable(jwk.getKeyID()),
                Optional.ofNullable(jwk.getAlgorithm()).map(a -> a.getName()));
    }

    // --- PEM ---

    private static Found pem(String text, Optional<char[]> password) {
        List<PrivateKeyInfo> keys = new ArrayList<>();
        List<String> chain = new ArrayList<>();
        boolean publicKey = false;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                switch (o) {
                    case PrivateKeyInfo p -> keys.add(p);
                    case PEMKeyPair p -> keys.add(p.getPrivateKeyInfo());
                    case PKCS8EncryptedPrivateKeyInfo e -> keys.add(decrypt(e, password));
                    case PEMEncryptedKeyPair e -> keys.add(decrypt(e, password));
                    case X509CertificateHolder c -> chain.add(java.util.Base64.getEncoder().encodeToString(c.getEncoded()));
                    case SubjectPublicKeyInfo s -> publicKey = true;
                    default -> { }  // EC PARAMETERS, CRLs and the like: not needed
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new Invalid("malformed PEM: " + shorten(e.getMessage()));
        }
        if (keys.size() > 1) throw new Invalid("the PEM file holds " + keys.size() + " private keys: import one at a time");
        if (keys.isEmpty()) {
            if (publicKey) throw new Invalid("the PEM file holds a public key only: a signing key needs its private key");
            if (!chain.isEmpty()) throw new Invalid("the PEM file holds certificates but no private key");
            throw new Invalid("the PEM file holds no private key");
        }
        return new Found(fromPrivateKeyInfo(keys.getFirst()), List.copyOf(chain), Optional.empty(), Optional.empty());
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo e, Optional<char[]> password) {
        char[] pw = password.orElseThrow(() -> new Invalid("the private key is encrypted: give its password with --password-file FILE"));
        try {
            return e.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bouncyCastle()).build(pw));
        } catch (PKCSException | OperatorCreationException | RuntimeException ex) {
            throw new Invalid("cannot decrypt the private key: wrong password, or an encryption this build does not "
                    + "support (convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)");
        }
    }

    private static PrivateKeyInfo decrypt(PEMEncryptedKeyPair e, Optional<char[]> password) {
        char[] pw = password.orElseThrow(() -> new Invalid("the private key is encrypted: give its password with --password-file FILE"));
        try {
            return e.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bouncyCastle()).build(pw)).getPrivateKeyInfo();
        } catch (IOException | RuntimeException ex) {
            throw new Invalid("cannot decrypt the private key: wrong password, or an unsupported encryption");
        }
    }

    /**
     * Bouncy Castle's JCA provider, for the PBE ciphers of encrypted PEM keys (the JDK's do not cover OpenSSL's
     * names). Passed to the decryptor only, never installed: the server's providers are not changed.
     */
    private static java.security.Provider bouncyCastle() {
        return new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    // --- PKCS#12 ---

    private static Found pkcs12(byte[] file, Optional<char[]> password) {
        KeyStore store;
        char[] pw = password.orElse(new char[0]);
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(file), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new Invalid(password.isPresent() ? "wrong password for the PKCS#12 file"
                        : "the PKCS#12 file is protected by a password: give it with --password-file FILE");
            }
            throw new Invalid("not a PEM, JWK or PKCS#12 file");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Invalid("not a PEM, JWK or PKCS#12 file");
        }
        try {
            List<String> aliases = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) aliases.add(a);
            }
            if (aliases.isEmpty()) throw new Invalid("the PKCS#12 file holds no private key");
            if (aliases.size() > 1) {
                throw new Invalid("the PKCS#12 file holds " + aliases.size() + " private keys: import one at a time");
            }
            Key key = store.getKey(aliases.getFirst(), pw);
            if (key == null || key.getEncoded() == null) throw new Invalid("the PKCS#12 file holds no usable private key");
            List<String> chain = new ArrayList<>();
            Certificate[] certs = store.getCertificateChain(aliases.getFirst());
            if (certs != null) {
                for (Certificate c : certs) chain.add(java.util.Base64.getEncoder().encodeToString(c.getEncoded()));
            }
            return new Found(fromPrivateKeyInfo(PrivateKeyInfo.getInstance(key.getEncoded())), List.copyOf(chain),
                    Optional.empty(), Optional.empty());
        } catch (UnrecoverableKeyException e) {
            throw new Invalid("cannot decrypt the private key in the PKCS#12 file (it has another password than the file)");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Invalid("the PKCS#12 file holds no usable private key");
        }
    }

    // --- key material ---

    /** An unencrypted PKCS#8 private key as a JWK with its public members (derived when the file has none). */
    private static JWK fromPrivateKeyInfo(PrivateKeyInfo info) {
        AsymmetricKeyParameter p;
        try {
            p = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new Invalid("unsupported or damaged private key (" + algorithmName(info) + "): use RSA, EC P-256 or Ed25519");
        }
        return switch (p) {
            case RSAPrivateCrtKeyParameters r -> new RSAKey.Builder(Base64URL.encode(r.getModulus()),
                    Base64URL.encode(r.getPublicExponent())).privateExponent(Base64URL.encode(r.getExponent()))
                    .firstPrimeFactor(Base64URL.encode(r.getP())).secondPrimeFactor(Base64URL.encode(r.getQ()))
                    .firstFactorCRTExponent(Base64URL.encode(r.getDP())).secondFactorCRTExponent(Base64URL.encode(r.getDQ()))
                    .firstCRTCoefficient(Base64URL.encode(r.getQInv())).build();
            case RSAKeyParameters r -> throw new Invalid("an RSA private key without its public exponent cannot be imported");
            case ECPrivateKeyParameters e -> ec(e);
            case Ed25519PrivateKeyParameters e -> new OctetKeyPair.Builder(Curve.Ed25519,
                    Base64URL.encode(e.generatePublicKey().getEncoded())).d(Base64URL.encode(e.getEncoded())).build();
            case Ed448PrivateKeyParameters e -> throw new Invalid("Ed448 keys are not supported: EdDSA here means Ed25519");
            default -> throw new Invalid("unsupported key type (" + algorithmName(info) + "): use RSA, EC P-256 or Ed25519");
        };
    }

    private static JWK ec(ECPrivateKeyParameters e) {
        ECDomainParameters params = e.getParameters();
        X9ECParameters p256 = ECNamedCurveTable.getByName("P-256");
        boolean isP256 = params instanceof ECNamedDomainParameters n
                ? n.getName().equals(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1)
                : params.getCurve().equals(p256.getCurve()) && params.getG().equals(p256.getG());
        if (!isP256) {
            String name = params instanceof ECNamedDomainParameters n ? curveName(n.getName()) : "with explicit parameters";
            throw new Invalid("EC curve " + name + " is not supported: ES256 needs P-256 (prime256v1, secp256r1)");
        }
        ECPoint q = params.getG().multiply(e.getD()).normalize();
        int size = Curve.P_256.toECParameterSpec().getCurve().getField().getFieldSize();
        return new ECKey.Builder(Curve.P_256, ECKey.encodeCoordinate(size, q.getAffineXCoord().toBigInteger()),
                ECKey.encodeCoordinate(size, q.getAffineYCoord().toBigInteger()))
                .d(ECKey.encodeCoordinate(size, e.getD())).build();
    }

    private static String curveName(ASN1ObjectIdentifier oid) {
        String name = ECNamedCurveTable.getName(oid);
        return name != null ? name : oid.getId();
    }

    private static String algorithmName(PrivateKeyInfo info) {
        return info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    }

    /** Refuses keys Gatehouse does not sign with. */
    private static void check(JWK key) {
        switch (key) {
            case RSAKey r -> {
                if (r.size() < MIN_RSA_BITS) {
                    throw new Invalid("an RSA key of " + r.size() + " bits is too weak: at least " + MIN_RSA_BITS + " bits");
                }
            }
            case ECKey e -> {
                if (!Curve.P_256.equals(e.getCurve())) {
                    throw new Invalid("EC curve " + e.getCurve() + " is not supported: ES256 needs P-256");
                }
            }
            case OctetKeyPair o -> {
                if (!Curve.Ed25519.equals(o.getCurve())) {
                    throw new Invalid("OKP curve " + o.getCurve() + " is not supported: EdDSA here means Ed25519");
                }
            }
            default -> throw new Invalid("unsupported key type " + key.getKeyType() + ": use RSA, EC P-256 or Ed25519");
        }
    }

    private static SigningAlg algorithm(JWK key, Optional<SigningAlg> given, Optional<String> own) {
        // RFC 9864's fully-specified "Ed25519" is what Gatehouse calls EdDSA (always Ed25519 here).
        Optional<SigningAlg> stated = own.map(a -> a.equals("Ed25519") ? "EdDSA" : a).map(a -> SigningAlg.fromName(a)
                .orElseThrow(() -> new Invalid("the JWK is meant "
                + "for alg " + shorten(a) + "; Gatehouse signs with RS256, ES256, PS256 or EdDSA (remove the JWK's alg "
                + "member to use the key with one of them)")));
        if (given.isPresent() && stated.isPresent() && given.get() != stated.get()) {
            throw new Invalid("the JWK is meant for alg " + stated.get() + ", not --alg " + given.get());
        }
        SigningAlg alg = given.or(() -> stated).orElseGet(() -> switch (key) {
            case RSAKey r -> SigningAlg.RS256;
            case ECKey e -> SigningAlg.ES256;
            default -> SigningAlg.EdDSA;
        });
        String type = switch (key) {
            case RSAKey r -> "an RSA key (use RS256 or PS256)";
            case ECKey e -> "an EC P-256 key (use ES256)";
            default -> "an Ed25519 key (use EdDSA)";
        };
        boolean fits = switch (alg) {
            case RS256, PS256 -> key instanceof RSAKey;
            case ES256 -> key instanceof ECKey;
            case EdDSA -> key instanceof OctetKeyPair;
        };
        if (!fits) throw new Invalid(alg + " needs " + needs(alg) + "; the file holds " + type);
        return alg;
    }

    private static String needs(SigningAlg alg) {
        return switch (alg) {
            case RS256, PS256 -> "an RSA key";
            case ES256 -> "an EC P-256 key";
            case EdDSA -> "an Ed25519 key";
        };
    }

    static String checkedKid(String kid, String what) {
        if (kid.isEmpty() || kid.length() > MAX_KID_LENGTH || !kid.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new Invalid(what + " must be 1 to " + MAX_KID_LENGTH + " visible ASCII characters");
        }
        return kid;
    }

    private static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key with kid, use=sig and alg only: the file's x5c and other members are not carried over. */
    private static JWK clean(JWK key, String kid, SigningAlg alg) {
        JWSAlgorithm jws = KeyMaterial.jwsAlgorithm(alg);
        return switch (key) {
            case RSAKey r -> new RSAKey.Builder(r.getModulus(), r.getPublicExponent()).privateExponent(r.getPrivateExponent())
                    .firstPrimeFactor(r.getFirstPrimeFactor()).secondPrimeFactor(r.getSecondPrimeFactor())
                    .firstFactorCRTExponent(r.getFirstFactorCRTExponent()).secondFactorCRTExponent(r.getSecondFactorCRTExponent())
                    .firstCRTCoefficient(r.getFirstCRTCoefficient()).otherPrimes(r.getOtherPrimes())
                    .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).build();
            case ECKey e -> new ECKey.Builder(e.getCurve(), e.getX(), e.getY()).d(e.getD())
                    .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).build();
            case OctetKeyPair o -> new OctetKeyPair.Builder(o.getCurve(), o.getX()).d(o.getD())
                    .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).build();
            default -> throw new IllegalStateException();
        };
    }

    /** Signs and verifies a probe: the private and public members belong together, and the key works. */
    private static void probe(JWK key, SigningAlg alg) {
        String json = key.toJSONString();
        try {
            SigningKeys.Key k = KeyMaterial.load(StoredKey.created(key.getKeyID(), alg, State.NEXT, json, Instant.EPOCH), json);
            JWSObject jws = new JWSObject(new JWSHeader.Builder(k.jwsAlgorithm()).build(), new Payload("probe"));
            jws.sign(k.signer());
            if (!JWSObject.parse(jws.serialize()).verify(k.verifier())) {
                throw new Invalid("the private and public parts of the key do not belong together");
            }
        } catch (JOSEException | ParseException | IllegalStateException e) {
            throw new Invalid("the key cannot sign " + alg + " tokens (its private and public parts may not belong together)");
        }
    }

    private static void checkChain(JWK key, List<String> chain, Instant now, List<String> warnings) {
        for (int i = 0; i < chain.size(); i++) {
            try {
                KeyCertificates.notAfter(chain.get(i));
            } catch (IllegalArgumentException e) {
                throw new Invalid("certificate " + (i + 1) + " of the chain is not a readable X.509 certificate");
            }
        }
        if (!KeyCertificates.matches(key, chain.getFirst())) {
            for (int i = 1; i < chain.size(); i++) {
                if (KeyCertificates.matches(key, chain.get(i))) {
                    throw new Invalid("certificate " + (i + 1) + " matches the key, not the first: the chain must come "
                            + "leaf first");
                }
            }
            throw new Invalid("the certificate does not match the private key (" + KeyCertificates.subject(chain.getFirst()) + ")");
        }
        Instant notAfter = KeyCertificates.notAfter(chain.getFirst());
        if (notAfter.isBefore(now)) {
            warnings.add("the certificate expired at " + notAfter + "; it is published as it is (JWT validators "
                    + "rarely check its dates, but some do)");
        }
    }

    private static String shorten(String message) {
        String m = String.valueOf(message).replaceAll("[^\\x20-\\x7e]", "?");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }
}
