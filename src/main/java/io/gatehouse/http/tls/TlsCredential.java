package io.gatehouse.http.tls;

import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.TlsFiles;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The public listener's certificate chain and private key, read from PEM files and checked: the first certificate is
 * the server's own (then its intermediates), and the key (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted) belongs to it.
 * Nothing here ever logs or prints key material; {@link #toString} names the certificate only.
 */
public record TlsCredential(List<X509Certificate> chain, PrivateKey key) {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCredential.class);
    public static final int MIN_RSA_BITS = 2048;
    /** PEM files larger than this are refused (a chain is a few KiB). */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    /** The files cannot serve: a clear message naming the file and what to do, never the key. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    public TlsCredential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate");
    }

    /**
     * Reads and checks both files.
     *
     * @param allowInsecurePermissions accept a key file that group or others may access (with a warning)
     * @throws Refused when a file is missing, unreadable, malformed, the key file is accessible to others, the key is
     *                 encrypted, weak or does not belong to the first certificate
     */
    public static TlsCredential read(TlsFiles files, boolean allowInsecurePermissions) {
        Path certFile = files.certificate();
        Path keyFile = files.privateKey();
        String keyText = text(keyFile, "TLS private key file");
        Optional<String> mode = KeyEncryption.exposedMode(keyFile);
        if (mode.isPresent()) {
            if (!allowInsecurePermissions) {
                throw new Refused("other users can access TLS private key file " + keyFile + " (mode " + mode.get()
                        + "): run `chmod 600 " + keyFile + "`, or start with --allow-insecure-permissions to accept this");
            }
            LOG.warn("other users can access TLS private key file {} (mode {}; --allow-insecure-permissions given)",
                    keyFile, mode.get());
        }
        List<X509Certificate> chain = certificates(text(certFile, "TLS certificate file"), certFile);
        PrivateKey key = privateKey(keyText, keyFile);
        X509Certificate leaf = chain.getFirst();
        check(leaf.getPublicKey(), key, certFile, keyFile);
        return new TlsCredential(chain, key);
    }

    /** The server's own certificate (the first of the chain). */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** Whether this key can answer a handshake that asks for {@code keyType} (JSSE's names: RSA, EC, EdDSA, ...). */
    boolean fits(String keyType) {
        String alg = key.getAlgorithm();
        if (alg.equalsIgnoreCase("Ed25519") || alg.equalsIgnoreCase("Ed448")) alg = "EdDSA";
        return keyType != null && keyType.equalsIgnoreCase(alg);
    }

    /** Why a client would refuse the certificate now (expired, not yet valid), if it would. */
    public Optional<String> validityProblem(Instant now) {
        X509Certificate c = leaf();
        if (now.isAfter(c.getNotAfter().toInstant())) return Optional.of("the certificate expired on " + c.getNotAfter().toInstant());
        if (now.isBefore(c.getNotBefore().toInstant())) {
            return Optional.of("the certificate is not valid before " + c.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    /** For the log: subject, expiry and SHA-256 fingerprint of the server's certificate, and the chain's length. */
    @Override
    public String toString() {
        X509Certificate c = leaf();
        return c.getSubjectX500Principal().getName() + ", valid until " + c.getNotAfter().toInstant() + ", SHA-256 "
                + fingerprint(c) + (chain.size() > 1 ? " (+" + (chain.size() - 1) + " chain certificate(s))" : "");
    }

    static String fingerprint(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            return "?";
        }
    }

    private static String text(Path file, String what) {
        if (!Files.exists(file)) throw new Refused(what + " " + file + " does not exist");
        if (!Files.isRegularFile(file)) throw new Refused(what + " " + file + " is not a regular file");
        try {
            if (Files.size(file) > MAX_FILE_BYTES) throw new Refused(what + " " + file + " is larger than 1 MiB: not a PEM file");
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (AccessDeniedException e) {
            throw new Refused("cannot read " + what + " " + file + " (permission denied): the user running Gatehouse must "
                    + "be able to read it");
        } catch (IOException | SecurityException e) {
            throw new Refused("cannot read " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Every CERTIFICATE block of the file, in order; other blocks (a key in a combined file) are skipped. */
    private static List<X509Certificate> certificates(String pem, Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) chain.add(converter.getCertificate(h));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new Refused("TLS certificate file " + file + " is not valid PEM (" + e.getClass().getSimpleName() + ")");
        }
        if (chain.isEmpty()) {
            throw new Refused("TLS certificate file " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The one private key of the file; certificates in it (a combined file) are skipped. */
    private static PrivateKey privateKey(String pem, Path file) {
        List<PrivateKeyInfo> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                switch (o) {
                    case PrivateKeyInfo p -> keys.add(p);
                    case PEMKeyPair p -> keys.add(p.getPrivateKeyInfo());
                    case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file);
                    case PEMEncryptedKeyPair e -> throw encrypted(file);
                    default -> { }  // certificates, EC PARAMETERS
                }
            }
        } catch (Refused r) {
            throw r;
        } catch (IOException | RuntimeException e) {
            // the parser's message may quote the file: name the exception only
            throw new Refused("TLS private key file " + file + " is not valid PEM (" + e.getClass().getSimpleName() + ")");
        }
        if (keys.isEmpty()) {
            throw new Refused("TLS private key file " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
                    + "RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (keys.size() > 1) throw new Refused("TLS private key file " + file + " holds " + keys.size() + " private keys: give it one");
        try {
            return new JcaPEMKeyConverter().getPrivateKey(keys.getFirst());
        } catch (IOException | RuntimeException e) {
            throw new Refused("TLS private key file " + file + " holds a key of an unsupported type (use RSA, EC or Ed25519)");
        }
    }

    private static Refused encrypted(Path file) {
        return new Refused("TLS private key file " + file + " is encrypted: Gatehouse reads unencrypted keys (protected by "
                + "the file's mode 0600); decrypt it with `openssl pkey -in ENCRYPTED -out " + file + "`");
    }

    /** The key is usable and belongs to the certificate: a probe signed with it verifies with the certificate's key. */
    private static void check(PublicKey certKey, PrivateKey key, Path certFile, Path keyFile) {
        String alg = switch (key.getAlgorithm().toUpperCase(java.util.Locale.ROOT)) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            default -> throw new Refused("TLS private key file " + keyFile + " holds a " + key.getAlgorithm()
                    + " key: use RSA, EC or Ed25519");
        };
        if (certKey instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new Refused("the certificate in " + certFile + " has an RSA key of " + rsa.getModulus().bitLength()
                    + " bits: at least " + MIN_RSA_BITS + " are needed");
        }
        boolean matches;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(certKey);
            v.update(probe);
            matches = v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            throw new Refused("the private key in " + keyFile + " does not belong to the first certificate in " + certFile
                    + " (the server's own certificate comes first, then its intermediates)");
        }
    }
}
