package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.Main;
import io.gatehouse.config.KeyConfig;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.token.keys.KeyPolicy;
import io.gatehouse.testing.JwksCertificates;
import io.gatehouse.testing.OpenSsl;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * `gatehouse keys import` in-process against a running server's database, with keys, certificates and PKCS#12 files
 * made by openssl: tokens the key signed elsewhere verify through Gatehouse's JWKS, tokens Gatehouse signs with it
 * verify with the original public key, and every bad file is refused with exit 2 and no change.
 */
class KeyImportTest {
    static final String PASSWORD = "import me, 1 time";

    @TempDir
    static Path files;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        OpenSsl.assumeAvailable();
        Files.writeString(files.resolve("pw.txt"), PASSWORD + "\n");
        Files.writeString(files.resolve("wrong-pw.txt"), "not it\n");
        // The old server's key and certificate, as an IdentityServer-era deployment would have them.
        OpenSsl.run(files, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "old.pem", "-out", "old-cert.pem",
                "-subj", "/CN=old identity server", "-days", "3650");
        Files.writeString(files.resolve("old-bundle.pem"), Files.readString(files.resolve("old.pem"))
                + Files.readString(files.resolve("old-cert.pem")));
        OpenSsl.run(files, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ec.pem", "-out", "ec-cert.pem", "-subj", "/CN=old ec key", "-days", "3650");
        OpenSsl.run(files, "pkcs12", "-export", "-inkey", "ec.pem", "-in", "ec-cert.pem", "-passout", "file:pw.txt",
                "-out", "ec.p12");
        // A short max-age: nodes reload every second, and a next key takes over after 6 seconds.
        server = TestServer.start(c -> c.withKeys(new KeyConfig(Duration.ofSeconds(5), KeyPolicy.DEFAULT_ROTATION)));
        server.addClient("legacy-rs", "s3cret", b -> b.grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS))
                .signingAlg(SigningAlg.RS256).jwtHeaderX5t(true));
        server.addClient("legacy-es", "s3cret", b -> b.grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS))
                .signingAlg(SigningAlg.ES256));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    record Run(int code, String out, String err) {
    }

    static synchronized Run cli(Path data, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> full = new ArrayList<>(List.of(args));
            full.addAll(List.of("--data", data.toString()));
            int code = new CommandLine(new Main()).execute(full.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String file(String name) {
        return files.resolve(name).toString();
    }

    static X509Certificate cert(String pem) throws Exception {
        return JwksCertificates.certificate(Base64.getMimeDecoder().decode(Files.readString(files.resolve(pem))
                .replaceAll("-----[A-Z ]+-----", "")));
    }

    /** An access token signed outside Gatehouse (as the old server did) with {@code key} under {@code kid}. */
    static String foreignToken(JWSAlgorithm alg, JWSSigner signer, String kid, Base64URL x5t, String clientId) throws Exception {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", server.base);
        // Seed 000's own tokens carry no aud; Gatehouse's resource API needs its audience (the issuer) in every token.
        claims.put("aud", server.base);
        claims.put("client_id", clientId);
        claims.put("sub", clientId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(600).getEpochSecond());
        claims.put("scope", List.of("bailunApi"));
        JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(kid).type(new JOSEObjectType("at+jwt"));
        if (x5t != null) h.x509CertThumbprint(x5t);
        JWSObject jws = new JWSObject(h.build(), new Payload(claims));
        jws.sign(signer);
        return jws.serialize();
    }

    static int resource(String token) {
        return server.get("/product/get?id=1", "Authorization", "Bearer " + token).statusCode();
    }

    /**
     * The resource API's answer once the server has seen the import: it reloads the keys every refresh interval (1 s
     * here), and at most that often for an unknown kid (the 401 before the import used that up).
     */
    static int resourceAfterReload(String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status;
        while ((status = resource(token)) == 401 && System.nanoTime() < deadline) Thread.sleep(100);
        return status;
    }

    /** Client-credentials tokens of {@code client} until one is signed with {@code kid} (the nodes reload every second). */
    static String tokenSignedWith(String client, String kid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = server.form("/oauth2/token", "grant_type=client_credentials", basic(client, "s3cret"));
            assertEquals(200, r.statusCode(), r.body());
            last = json(r).get("access_token").asText();
            if (kid.equals(TestServer.jwtPart(last, 0).get("kid").asText())) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("no token signed with " + kid + " within a minute; the last header: "
                + TestServer.jwtPart(last, 0));
    }

    static JsonNode jwksEntry(String kid) {
        for (JsonNode k : json(server.get("/jwks")).get("keys")) {
            if (k.get("kid").asText().equals(kid)) return k;
        }
        throw new AssertionError("kid " + kid + " is not in the JWKS");
    }

    @SuppressWarnings("deprecation")  // x5t
    @Test
    void rsaPemWithCertificateImportedActiveUnderTheOldKidThenOldTokensVerifyAndNewOnesVerifyWithTheOldPublicKey() throws Exception {
        X509Certificate cert = cert("old-cert.pem");
        byte[] sha1 = JwksCertificates.digest("SHA-1", cert.getEncoded());
        String kid = HexFormat.of().withUpperCase().formatHex(sha1) + "RS256";  // as seed 000's kid is made
        RSAKey key = JWK.parseFromPEMEncodedObjects(Files.readString(files.resolve("old.pem"))).toRSAKey();
        String old = foreignToken(JWSAlgorithm.RS256, new RSASSASigner(key), kid, Base64URL.encode(sha1), "legacy-rs");
        assertEquals(401, resource(old), "not a key of this server yet");

        Run r = cli(server.dataDir(), "keys", "import", file("old-bundle.pem"), "--kid", kid, "--state", "active");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("imported " + kid + " (RS256) as active: it signs RS256 tokens now"), r.out());

        // A token the old server signed verifies through Gatehouse's JWKS (the resource API reloads for a new kid).
        assertEquals(200, resourceAfterReload(old));
        JsonNode entry = jwksEntry(kid);
        assertEquals(Base64.getEncoder().encodeToString(cert.getEncoded()), entry.get("x5c").get(0).asText(),
                "the imported certificate is published, not a generated one");
        assertEquals(1, entry.get("x5c").size());
        assertEquals(Base64URL.encode(sha1).toString(), entry.get("x5t").asText());
        assertEquals("RS256", entry.get("alg").asText());
        JwksCertificates.assertConsistent(server.get("/jwks").body());

        // Gatehouse signs with it: the token verifies with the original public key and names the certificate in x5t.
        String issued = tokenSignedWith("legacy-rs", kid);
        JWSObject jws = JWSObject.parse(issued);
        assertTrue(jws.verify(new RSASSAVerifier((RSAPublicKey) cert.getPublicKey())));
        assertEquals(Base64URL.encode(sha1), jws.getHeader().getX509CertThumbprint());
        assertEquals(kid, HexFormat.of().withUpperCase().formatHex(jws.getHeader().getX509CertThumbprint().decode()) + "RS256");
        assertEquals(200, resource(issued));
        String list = cli(server.dataDir(), "keys", "list").out();
        assertTrue(list.lines().anyMatch(l -> l.startsWith(kid + "\tRS256\tactive\t")), list);
    }

    @Test
    void ecPkcs12ImportedWithDefaultsThenNextUnderItsThumbprintAndTakesOverByItself() throws Exception {
        ECKey key = JWK.parseFromPEMEncodedObjects(Files.readString(files.resolve("ec.pem"))
                + Files.readString(files.resolve("ec-cert.pem"))).toECKey();
        String kid = key.computeThumbprint().toString();
        String old = foreignToken(JWSAlgorithm.ES256, new ECDSASigner(key), kid, null, "legacy-es");
        assertEquals(401, resource(old));

        Run r = cli(server.dataDir(), "keys", "import", file("ec.p12"), "--password-file", file("pw.txt"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("imported " + kid + " (ES256) as next: published now"), r.out());
        assertEquals(200, resourceAfterReload(old), "published at once: tokens it signed verify");
        assertEquals(Base64.getEncoder().encodeToString(cert("ec-cert.pem").getEncoded()),
                jwksEntry(kid).get("x5c").get(0).asText());

        // After the publish delay (max-age 5 s plus one refresh) the server's own tick promotes it.
        String issued = tokenSignedWith("legacy-es", kid);
        assertTrue(JWSObject.parse(issued).verify(new ECDSAVerifier((ECPublicKey) cert("ec-cert.pem").getPublicKey())));
        assertNull(TestServer.jwtPart(issued, 0).get("x5t"), "this client did not ask for x5t");
        assertEquals(200, resource(issued));
    }

    @Test
    void badInputsThenExit2WithTheReasonAndNothingChanged(@TempDir Path data) throws Exception {
        OpenSsl.run(files, "pkey", "-in", "old.pem", "-pubout", "-out", "old-pub.pem");
        OpenSsl.run(files, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "weak.pem");
        OpenSsl.run(files, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem");
        Files.writeString(files.resolve("mismatch.pem"), Files.readString(files.resolve("old.pem"))
                + Files.readString(files.resolve("ec-cert.pem")));
        Files.write(files.resolve("garbage.bin"), new byte[]{0x30, 0x03, 0x01, 0x02, 0x03, 0x04});
        Files.writeString(files.resolve("garbage.txt"), "this is not a key\n");

        Run first = cli(data, "keys", "import", file("old.pem"), "--state", "active", "--kid", "existing");
        assertEquals(0, first.code(), first.err());
        String before = cli(data, "keys", "list").out();
        assertTrue(before.contains("existing\tRS256\tactive"), before);

        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of(file("old.pem"), "--alg", "ES256"), "ES256 needs an EC P-256 key; the file holds an RSA key");
        cases.put(List.of(file("old-pub.pem")), "public key only");
        cases.put(List.of(file("weak.pem")), "an RSA key of 1024 bits is too weak: at least 2048 bits");
        cases.put(List.of(file("p384.pem")), "EC curve secp384r1 is not supported");
        cases.put(List.of(file("ec.pem"), "--kid", "existing"), "a key with kid existing exists already");
        cases.put(List.of(file("old-bundle.pem")), "this key is stored already as existing");
        cases.put(List.of(file("garbage.bin")), "not a PEM, JWK or PKCS#12 file");
        cases.put(List.of(file("garbage.txt")), "not a PEM, JWK or PKCS#12 file");
        cases.put(List.of(file("ec.p12"), "--password-file", file("wrong-pw.txt")), "wrong password for the PKCS#12 file");
        cases.put(List.of(file("ec.p12")), "protected by a password: give it with --password-file");
        cases.put(List.of(file("mismatch.pem")), "the certificate does not match the private key");
        cases.put(List.of(file("no-such-file.pem")), "does not exist");
        cases.put(List.of(file("ec.p12"), "--password-file", file("no-such-pw.txt")), "does not exist");
        cases.put(List.of(files.toString()), "is a directory");
        cases.put(List.of(file("ec.pem"), "--state", "promoted"), "--state must be next, active or retired");
        cases.put(List.of(file("ec.pem"), "--alg", "HS256"), "unknown algorithm 'HS256'");
        cases.put(List.of(file("ec.pem"), "--kid", "two words"), "--kid must be 1 to 200 visible ASCII characters");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("keys", "import"));
            args.addAll(c.getKey());
            Run r = cli(data, args.toArray(String[]::new));
            assertEquals(2, r.code(), c.getKey() + ": " + r.out() + r.err());
            assertTrue(r.err().startsWith("gatehouse: ") && r.err().contains(c.getValue()), c.getKey() + ": " + r.err());
            assertEquals("", r.out(), c.getKey().toString());
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals(before, cli(data, "keys", "list").out(), c.getKey() + " changed the keys");
        }
    }
}
