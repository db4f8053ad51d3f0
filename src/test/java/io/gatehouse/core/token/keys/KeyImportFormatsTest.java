package io.gatehouse.core.token.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.testing.JwksCertificates;
import io.gatehouse.testing.OpenSsl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** KeyImport.read: every accepted format, and a clear refusal for every bad file (keys and certificates made by openssl). */
class KeyImportFormatsTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final char[] PASSWORD = "correct horse".toCharArray();

    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsl.assumeAvailable();
        Files.writeString(dir.resolve("pw.txt"), new String(PASSWORD) + "\n");
        Files.writeString(dir.resolve("wrong-pw.txt"), "wrong\n");
        OpenSsl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.pem", "-out", "rsa-cert.pem",
                "-subj", "/CN=old-server", "-days", "365");
        OpenSsl.run(dir, "pkey", "-in", "rsa.pem", "-traditional", "-out", "rsa-pkcs1.pem");
        OpenSsl.run(dir, "pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa-pub.pem");
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "ed25519", "-out", "ed25519.pem");
        OpenSsl.run(dir, "pkey", "-in", "ed25519.pem", "-pubout", "-out", "ed25519-pub.pem");
        OpenSsl.run(dir, "req", "-x509", "-key", "ed25519.pem", "-out", "ed25519-cert.pem", "-subj", "/CN=ed", "-days", "30");
        OpenSsl.run(dir, "genpkey", "-algorithm", "ed448", "-out", "ed448.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "k256.pem");
        OpenSsl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "rsa1024.pem");
        OpenSsl.run(dir, "pkcs8", "-topk8", "-in", "rsa.pem", "-v2", "aes-256-cbc", "-passout", "file:pw.txt", "-out", "rsa-enc.pem");
        OpenSsl.run(dir, "pkey", "-in", "rsa.pem", "-traditional", "-aes256", "-passout", "file:pw.txt", "-out", "rsa-legacy-enc.pem");
        OpenSsl.run(dir, "pkcs12", "-export", "-inkey", "rsa.pem", "-in", "rsa-cert.pem", "-passout", "file:pw.txt",
                "-out", "rsa.p12");
        OpenSsl.run(dir, "pkcs12", "-export", "-inkey", "ed25519.pem", "-in", "ed25519-cert.pem", "-passout", "file:pw.txt",
                "-out", "ed25519.p12");
        OpenSsl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.pem", "-out", "other-cert.pem",
                "-subj", "/CN=someone-else", "-days", "365");
    }

    static byte[] file(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    static byte[] concat(String... names) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String n : names) b.append(Files.readString(dir.resolve(n)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static KeyImport.Imported read(byte[] file) {
        return KeyImport.read(file, Optional.empty(), Optional.empty(), Optional.empty(), NOW);
    }

    static String refusal(byte[] file, Optional<char[]> password, Optional<SigningAlg> alg, Optional<String> kid) {
        return assertThrows(KeyImport.Invalid.class, () -> KeyImport.read(file, password, alg, kid, NOW)).getMessage();
    }

    static String refusal(byte[] file) {
        return refusal(file, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static PublicKey publicKey(String pem, String alg) throws Exception {
        String b64 = Files.readString(dir.resolve(pem)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(java.util.Base64.getDecoder().decode(b64)));
    }

    static X509Certificate cert(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(file(pem)));
    }

    @Test
    void rsaPkcs8PemWithCertificateThenRs256ThumbprintKidAndTheChainKept() throws Exception {
        KeyImport.Imported k = read(concat("rsa.pem", "rsa-cert.pem"));
        assertEquals(SigningAlg.RS256, k.alg());
        assertEquals(k.privateJwk().computeThumbprint().toString(), k.kid(), "RFC 7638 thumbprint");
        assertEquals(k.kid(), k.privateJwk().getKeyID());
        assertEquals(KeyUse.SIGNATURE, k.privateJwk().getKeyUse());
        assertEquals(JWSAlgorithm.RS256, k.privateJwk().getAlgorithm());
        assertTrue(k.privateJwk().isPrivate());
        assertEquals(List.of(java.util.Base64.getEncoder().encodeToString(cert("rsa-cert.pem").getEncoded())), k.certificateChain());
        JwksCertificates.assertSameKey(k.privateJwk(), publicKey("rsa-pub.pem", "RSA"));
        assertEquals(List.of(), k.warnings());
    }

    @Test
    void rsaPkcs1PemThenSameKey() throws Exception {
        KeyImport.Imported k = read(file("rsa-pkcs1.pem"));
        assertTrue(Files.readString(dir.resolve("rsa-pkcs1.pem")).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(read(file("rsa.pem")).kid(), k.kid());
        assertEquals(List.of(), k.certificateChain(), "no certificate in the file: the store makes one");
    }

    @Test
    void ecSec1PemThenEs256() throws Exception {
        KeyImport.Imported k = read(concat("ec-sec1.pem"));
        assertEquals(SigningAlg.ES256, k.alg());
        assertEquals(Curve.P_256, ((ECKey) k.privateJwk()).getCurve());
    }

    @Test
    void ed25519Pkcs8ThenEdDsaWithThePublicKeyOpensslDerives() throws Exception {
        KeyImport.Imported k = read(file("ed25519.pem"));
        assertEquals(SigningAlg.EdDSA, k.alg());
        JwksCertificates.assertSameKey(k.privateJwk(), publicKey("ed25519-pub.pem", "Ed25519"));
        KeyImport.Imported withCert = read(concat("ed25519.pem", "ed25519-cert.pem"));
        assertEquals(1, withCert.certificateChain().size());
    }

    @Test
    void encryptedPkcs8WhenPasswordThenReadAndWhenWrongOrMissingThenRefused() throws Exception {
        byte[] enc = file("rsa-enc.pem");
        assertEquals(read(file("rsa.pem")).kid(), KeyImport.read(enc, Optional.of(PASSWORD), Optional.empty(), Optional.empty(), NOW).kid());
        assertTrue(refusal(assertFile("rsa-enc.pem")).contains("--password-file"));
        byte[] legacy = file("rsa-legacy-enc.pem");
        assertTrue(new String(legacy, StandardCharsets.US_ASCII).contains("Proc-Type: 4,ENCRYPTED"));
        assertEquals(read(file("rsa.pem")).kid(), KeyImport.read(legacy, Optional.of(PASSWORD), Optional.empty(), Optional.empty(), NOW).kid());
        assertTrue(refusal(legacy, Optional.of("wrong".toCharArray()), Optional.empty(), Optional.empty()).contains("wrong password"));
        assertTrue(refusal(assertFile("rsa-enc.pem"), Optional.of("wrong".toCharArray()), Optional.empty(), Optional.empty())
                .contains("wrong password"));
    }

    @Test
    void pkcs12WhenPasswordThenKeyAndChainAndWhenWrongOrMissingThenRefused() throws Exception {
        KeyImport.Imported k = KeyImport.read(file("rsa.p12"), Optional.of(PASSWORD), Optional.empty(), Optional.empty(), NOW);
        assertEquals(SigningAlg.RS256, k.alg());
        assertEquals(List.of(java.util.Base64.getEncoder().encodeToString(cert("rsa-cert.pem").getEncoded())), k.certificateChain());
        JwksCertificates.assertSameKey(k.privateJwk(), publicKey("rsa-pub.pem", "RSA"));
        assertEquals("wrong password for the PKCS#12 file",
                refusal(file("rsa.p12"), Optional.of("wrong".toCharArray()), Optional.empty(), Optional.empty()));
        assertTrue(refusal(file("rsa.p12")).contains("--password-file"));

        KeyImport.Imported ed = KeyImport.read(file("ed25519.p12"), Optional.of(PASSWORD), Optional.empty(), Optional.empty(), NOW);
        assertEquals(SigningAlg.EdDSA, ed.alg());
        JwksCertificates.assertSameKey(ed.privateJwk(), publicKey("ed25519-pub.pem", "Ed25519"));
    }

    @Test
    void algAndKidWhenGivenThenUsedAndWhenNotFittingTheKeyThenRefused() throws Exception {
        KeyImport.Imported ps = KeyImport.read(file("rsa.pem"), Optional.empty(), Optional.of(SigningAlg.PS256),
                Optional.of("BADC7A3BCE9F9EACE485F286E9C558399BB2C81CRS256"), NOW);
        assertEquals(SigningAlg.PS256, ps.alg());
        assertEquals("BADC7A3BCE9F9EACE485F286E9C558399BB2C81CRS256", ps.kid());
        assertEquals(JWSAlgorithm.PS256, ps.privateJwk().getAlgorithm());
        assertEquals("ES256 needs an EC P-256 key; the file holds an RSA key (use RS256 or PS256)",
                refusal(file("rsa.pem"), Optional.empty(), Optional.of(SigningAlg.ES256), Optional.empty()));
        assertTrue(refusal(file("ec-sec1.pem"), Optional.empty(), Optional.of(SigningAlg.RS256), Optional.empty())
                .contains("the file holds an EC P-256 key (use ES256)"));
        assertTrue(refusal(file("ed25519.pem"), Optional.empty(), Optional.of(SigningAlg.ES256), Optional.empty())
                .contains("Ed25519"));
        for (String bad : List.of("", "has space", "x".repeat(201), "tab\t", "caf\u00e9")) {
            assertTrue(refusal(file("rsa.pem"), Optional.empty(), Optional.empty(), Optional.of(bad)).startsWith("--kid must be"), bad);
        }
    }

    @Test
    void jwkWhenPrivateThenOwnKidAndAlgKeptElseThumbprint() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("legacy-1").algorithm(JWSAlgorithm.PS256).generate();
        KeyImport.Imported k = read(rsa.toJSONString().getBytes(StandardCharsets.UTF_8));
        assertEquals("legacy-1", k.kid());
        assertEquals(SigningAlg.PS256, k.alg());
        assertEquals(rsa.toPublicJWK().computeThumbprint(), k.privateJwk().computeThumbprint());

        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        KeyImport.Imported e = read(("{\"keys\":[" + ec.toJSONString() + "]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ec.computeThumbprint().toString(), e.kid());
        assertEquals(SigningAlg.ES256, e.alg());
        Map<String, Object> ed = io.gatehouse.core.token.KeyMaterial.generate(SigningAlg.EdDSA).toJSONObject();
        ed.put("alg", "Ed25519");  // RFC 9864's fully-specified name
        assertEquals(SigningAlg.EdDSA, read(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(ed)
                .getBytes(StandardCharsets.UTF_8)).alg());
        assertEquals("override", KeyImport.read(rsa.toJSONString().getBytes(StandardCharsets.UTF_8), Optional.empty(),
                Optional.empty(), Optional.of("override"), NOW).kid());
    }

    @Test
    void jwkWithX5cThenChainKeptAndWhenItIsAnotherKeysThenRefused() throws Exception {
        X509Certificate cert = cert("rsa-cert.pem");
        RSAKey fromPem = (RSAKey) read(file("rsa.pem")).privateJwk();
        RSAKey withChain = new RSAKey.Builder(fromPem).keyID(null).algorithm(null)
                .x509CertChain(List.of(Base64.encode(cert.getEncoded()))).build();
        KeyImport.Imported k = read(withChain.toJSONString().getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(Base64.encode(cert.getEncoded()).toString()), k.certificateChain());
        assertFalse(k.privateJwk().toJSONObject().containsKey("x5c"), "the chain is kept beside the key, not in it");

        // Nimbus itself refuses a JWK whose x5c certifies another key; the message says so.
        Map<String, Object> wrongChain = fromPem.toJSONObject();
        wrongChain.put("x5c", List.of(Base64.encode(cert("other-cert.pem").getEncoded()).toString()));
        assertTrue(refusal(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(wrongChain).getBytes(StandardCharsets.UTF_8))
                .contains("must match"));
    }

    @Test
    void badJwksThenRefusedWithTheReason() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        assertTrue(refusal(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)).contains("public key only"));
        OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).generate();
        assertTrue(refusal(oct.toJSONString().getBytes(StandardCharsets.UTF_8)).contains("symmetric"));
        RSAKey enc = new RSAKey.Builder(rsa).keyUse(KeyUse.ENCRYPTION).build();
        assertTrue(refusal(enc.toJSONString().getBytes(StandardCharsets.UTF_8)).contains("'enc'"));
        RSAKey rs512 = new RSAKey.Builder(rsa).algorithm(JWSAlgorithm.RS512).build();
        assertTrue(refusal(rs512.toJSONString().getBytes(StandardCharsets.UTF_8)).contains("RS512"));
        RSAKey ps256 = new RSAKey.Builder(rsa).algorithm(JWSAlgorithm.PS256).build();
        assertEquals("the JWK is meant for alg PS256, not --alg RS256", refusal(ps256.toJSONString().getBytes(StandardCharsets.UTF_8),
                Optional.empty(), Optional.of(SigningAlg.RS256), Optional.empty()));
        // The private exponent of another key: the parts do not belong together, so it could never sign.
        RSAKey other = new RSAKeyGenerator(2048).generate();
        Map<String, Object> mixed = rsa.toJSONObject();
        for (String m : List.of("d", "p", "q", "dp", "dq", "qi")) mixed.put(m, other.toJSONObject().get(m));
        assertTrue(refusal(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(mixed).getBytes(StandardCharsets.UTF_8))
                .contains("cannot sign"));
        String two = "{\"keys\":[" + rsa.toJSONString() + "," + other.toJSONString() + "]}";
        assertTrue(refusal(two.getBytes(StandardCharsets.UTF_8)).contains("2 keys"));
        assertTrue(refusal("{\"kty\":\"RSA\"".getBytes(StandardCharsets.UTF_8)).startsWith("not a valid JWK"));
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        assertTrue(refusal(p384.toJSONString().getBytes(StandardCharsets.UTF_8)).contains("P-384"));
    }

    @Test
    void badPemFilesThenRefusedWithTheReason() throws Exception {
        assertEquals("the PEM file holds a public key only: a signing key needs its private key", refusal(file("rsa-pub.pem")));
        assertEquals("the PEM file holds certificates but no private key", refusal(file("rsa-cert.pem")));
        assertEquals("an RSA key of 1024 bits is too weak: at least 2048 bits", refusal(file("rsa1024.pem")));
        assertTrue(refusal(file("p384.pem")).startsWith("EC curve secp384r1 is not supported"), refusal(file("p384.pem")));
        assertTrue(refusal(file("k256.pem")).startsWith("EC curve secp256k1 is not supported"));
        assertTrue(refusal(file("ed448.pem")).contains("Ed448"));
        assertTrue(refusal(concat("rsa.pem", "other-cert.pem")).startsWith("the certificate does not match the private key"));
        assertTrue(refusal(concat("rsa.pem", "other-cert.pem", "rsa-cert.pem")).contains("leaf first"));
        assertTrue(refusal(concat("rsa.pem", "other.pem")).contains("2 private keys"));
        assertTrue(refusal("-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.UTF_8)).startsWith("malformed PEM"));
    }

    @Test
    void garbageThenRefused() {
        assertEquals("the file is empty", refusal(new byte[0]));
        assertEquals("not a PEM, JWK or PKCS#12 file", refusal("hello".getBytes(StandardCharsets.UTF_8)));
        byte[] random = new byte[512];
        new java.util.Random(7).nextBytes(random);
        random[0] = 0x30;
        assertEquals("not a PEM, JWK or PKCS#12 file", refusal(random));
        random[0] = 0x01;
        assertEquals("not a PEM, JWK or PKCS#12 file", refusal(random));
    }

    private static byte[] assertFile(String name) {
        try {
            return file(name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
