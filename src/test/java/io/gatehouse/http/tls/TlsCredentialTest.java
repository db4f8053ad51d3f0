package io.gatehouse.http.tls;

import io.gatehouse.config.TlsFiles;
import io.gatehouse.testing.OpenSsl;
import io.gatehouse.testing.TestCerts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

/** The PEM files an operator gives with --tls-cert / --tls-key, made with openssl: what is read, what is refused. */
class TlsCredentialTest {
    @TempDir
    static Path dir;
    static TestCerts.Pair rsa;
    static TestCerts.Pair ec;

    @BeforeAll
    static void keys() {
        OpenSsl.assumeAvailable();
        rsa = TestCerts.selfSigned(dir, "rsa", "rsa:2048");
        ec = TestCerts.selfSigned(dir, "ec", "ec");
    }

    static TlsCredential read(Path cert, Path key) {
        return TlsCredential.read(new TlsFiles(cert, key), false);
    }

    static String refused(Path cert, Path key) {
        return assertThrows(TlsCredential.Refused.class, () -> read(cert, key)).getMessage();
    }

    static Path key(String name, String... opensslArgs) {
        Path out = dir.resolve(name);
        String[] args = new String[opensslArgs.length + 2];
        System.arraycopy(opensslArgs, 0, args, 0, opensslArgs.length);
        args[opensslArgs.length] = "-out";
        args[opensslArgs.length + 1] = out.toString();
        OpenSsl.run(dir, args);
        TestCerts.ownerOnly(out);
        return out;
    }

    @Test
    void readWhenPkcs8RsaOrEcThenLeafAndKeyAndNoKeyMaterialInToString() throws Exception {
        TlsCredential r = read(rsa.cert(), rsa.key());
        assertEquals(rsa.certificate(), r.leaf());
        assertEquals("RSA", r.key().getAlgorithm());
        assertTrue(r.fits("RSA") && !r.fits("EC") && !r.fits("RSASSA-PSS"));
        String text = r.toString();
        assertTrue(text.startsWith("CN=rsa, valid until "), text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(r.key().getEncoded()).substring(0, 40)), text);
        assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("modulus"), text);

        TlsCredential e = read(ec.cert(), ec.key());
        assertTrue(e.fits("EC") && !e.fits("RSA"));

        TestCerts.Pair ed = TestCerts.selfSigned(dir, "ed", "ed25519");
        assertTrue(read(ed.cert(), ed.key()).fits("EdDSA"));
    }

    @Test
    void readWhenPkcs1RsaOrSec1EcKeyThenAccepted() {
        assertTrue(Files.exists(rsa.key()));
        Path pkcs1 = key("pkcs1.key", "rsa", "-in", rsa.key().toString(), "-traditional");
        assertTrue(contains(pkcs1, "BEGIN RSA PRIVATE KEY"));
        assertEquals("RSA", read(rsa.cert(), pkcs1).key().getAlgorithm());
        Path sec1 = key("sec1.key", "ec", "-in", ec.key().toString());
        assertTrue(contains(sec1, "BEGIN EC PRIVATE KEY"));
        assertEquals("EC", read(ec.cert(), sec1).key().getAlgorithm());
    }

    @Test
    void readWhenChainOrCombinedFileThenAllCertificatesServerFirst() throws Exception {
        // A CA and a server certificate it signed: the certificate file holds both, server first.
        OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Test CA", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        OpenSsl.run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "leaf.key", "-out", "leaf.csr", "-subj", "/CN=leaf", "-addext", "subjectAltName=IP:127.0.0.1");
        OpenSsl.run(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "leaf.crt", "-days", "2", "-copy_extensions", "copyall");
        Path chain = dir.resolve("fullchain.pem");
        Files.writeString(chain, Files.readString(dir.resolve("leaf.crt")) + Files.readString(dir.resolve("ca.crt")));
        TestCerts.ownerOnly(dir.resolve("leaf.key"));
        TlsCredential c = read(chain, dir.resolve("leaf.key"));
        assertEquals(2, c.chain().size());
        assertEquals("CN=leaf", c.leaf().getSubjectX500Principal().getName());
        assertTrue(c.toString().endsWith("(+1 chain certificate(s))"), c.toString());

        // HAProxy style: key and certificate in one file, given as both.
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(dir.resolve("leaf.key")) + Files.readString(chain));
        TestCerts.ownerOnly(combined);
        assertEquals(2, read(combined, combined).chain().size());

        String wrongOrder = refused(dir.resolve("ca.crt"), dir.resolve("leaf.key"));
        assertTrue(wrongOrder.contains("does not belong to the first certificate"), wrongOrder);
    }

    @Test
    void readWhenFilesMissingOrNotPemThenRefusedNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertEquals("TLS certificate file " + missing + " does not exist", refused(missing, rsa.key()));
        assertEquals("TLS private key file " + missing + " does not exist", refused(rsa.cert(), missing));
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        TestCerts.ownerOnly(garbage);
        assertEquals("TLS certificate file " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                refused(garbage, rsa.key()));
        assertTrue(refused(rsa.cert(), garbage).startsWith("TLS private key file " + garbage + " holds no PEM private key"));
        Path certAsKey = dir.resolve("cert-as-key.pem");
        Files.copy(rsa.cert(), certAsKey);
        TestCerts.ownerOnly(certAsKey);
        assertTrue(refused(rsa.cert(), certAsKey).contains("holds no PEM private key"), "a certificate is no key");
        assertEquals("TLS certificate file " + dir + " is not a regular file", refused(dir, rsa.key()));
    }

    @Test
    void readWhenKeyOfAnotherCertificateThenRefused() {
        String m = refused(rsa.cert(), ec.key());
        assertEquals("the private key in " + ec.key() + " does not belong to the first certificate in " + rsa.cert()
                + " (the server's own certificate comes first, then its intermediates)", m);
        TestCerts.Pair other = TestCerts.selfSigned(dir, "other", "rsa:2048");
        assertTrue(refused(rsa.cert(), other.key()).contains("does not belong"));
    }

    @Test
    void readWhenKeyFileReadableByOthersThenRefusedUnlessAllowed() throws Exception {
        Path open = dir.resolve("open.key");
        Files.copy(rsa.key(), open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("other users can access TLS private key file " + open + " (mode 0640): run `chmod 600 " + open
                + "`, or start with --allow-insecure-permissions to accept this", refused(rsa.cert(), open));
        assertNotNull(TlsCredential.read(new TlsFiles(rsa.cert(), open), true));
    }

    @Test
    void readWhenKeyEncryptedOrTwoKeysOrWeakThenRefused() throws Exception {
        Path encrypted = key("encrypted.key", "pkey", "-in", rsa.key().toString(), "-aes256", "-passout", "pass:secret");
        assertTrue(refused(rsa.cert(), encrypted).startsWith("TLS private key file " + encrypted + " is encrypted"));

        Path two = dir.resolve("two.key");
        Files.writeString(two, Files.readString(rsa.key()) + Files.readString(ec.key()));
        TestCerts.ownerOnly(two);
        assertEquals("TLS private key file " + two + " holds 2 private keys: give it one", refused(rsa.cert(), two));

        TestCerts.Pair weak = TestCerts.selfSigned(dir, "weak", "rsa:1024");
        assertEquals("the certificate in " + weak.cert() + " has an RSA key of 1024 bits: at least 2048 are needed",
                refused(weak.cert(), weak.key()));
    }

    @Test
    void readWhenKeyFileUnreadableThenRefused() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads files of any mode");
        Path locked = dir.resolve("locked.key");
        Files.copy(rsa.key(), locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assertTrue(refused(rsa.cert(), locked).startsWith("cannot read TLS private key file " + locked + " (permission denied)"));
    }

    static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
