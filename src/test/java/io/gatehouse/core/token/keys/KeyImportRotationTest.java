package io.gatehouse.core.token.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.KeyMaterial;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.JwksCertificates;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** KeyRotation.importKey in each target state, its refusals, sealing, and certificates for keys that have none. */
class KeyImportRotationTest {
    static final String KID = "BADC7A3BCE9F9EACE485F286E9C558399BB2C81CRS256";

    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    final Fakes.Keys store = new Fakes.Keys();
    final List<String> events = new ArrayList<>();
    final KeyPolicy policy = KeyPolicy.of(Duration.ofSeconds(300), Duration.ofDays(90));

    /** Seals as "sealed:" + base64 of the JWK under KEK "test-kek", so that a plain JWK in the store would show. */
    final KeyProtection sealing = new KeyProtection() {
        @Override
        public Sealed seal(String kid, SigningAlg alg, String privateJwk) {
            return new Sealed("sealed:" + Base64.getEncoder().encodeToString(privateJwk.getBytes(StandardCharsets.UTF_8)),
                    Optional.of("test-kek"));
        }

        @Override
        public String open(StoredKey key) {
            assertEquals(Optional.of("test-kek"), key.kekId(), key.kid());
            return new String(Base64.getDecoder().decode(key.privateKey().substring("sealed:".length())), StandardCharsets.UTF_8);
        }

        @Override
        public Optional<String> kekId() {
            return Optional.of("test-kek");
        }
    };
    final SigningKeys keys = new SigningKeys(store, sealing, clock);
    final KeyRotation rotation = new KeyRotation(store, keys, policy, () -> Duration.ofHours(2),
            (kid, alg, change, actor) -> events.add(kid + " " + alg + " " + change + " by " + actor), clock,
            List.of(SigningAlg.RS256));

    static RSAKey material;

    /** An imported RSA key with this kid (the same key material each time: generating RSA keys is slow). */
    static synchronized KeyImport.Imported imported(String kid) throws Exception {
        if (material == null) material = new RSAKeyGenerator(2048).generate();
        RSAKey k = material;
        return KeyImport.read(k.toJSONString().getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(),
                Optional.of(kid), Instant.EPOCH);
    }

    StoredKey stored(String kid) {
        return store.all().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    @Test
    void importAsNextThenPublishedSealedCertifiedAndTakesOverAfterThePublishDelay() throws Exception {
        keys.ensure(List.of(SigningAlg.RS256));
        String old = keys.forAlg(SigningAlg.RS256).kid();
        KeyImport.Imported k = imported(KID);

        String said = rotation.importKey(k, State.NEXT, "cli");
        assertTrue(said.contains("as next"), said);
        StoredKey s = stored(KID);
        assertEquals(State.NEXT, s.state());
        assertEquals(Optional.of("test-kek"), s.kekId());
        assertTrue(s.privateKey().startsWith("sealed:"), "sealed with the configured protection");
        assertEquals(1, s.certificateChain().size(), "a self-signed certificate, as the JWK had none");
        assertEquals(List.of(KID + " RS256 imported as next by cli"), events);

        keys.reload();
        X509Certificate cert = JwksCertificates.assertConsistent(keys.forKid(KID).orElseThrow().publicJwk());
        assertTrue(cert.getSubjectX500Principal().getName().contains(KID), cert.getSubjectX500Principal().getName());
        cert.verify(cert.getPublicKey());

        assertEquals(List.of(), rotation.tick("node"), "published for less than the publish delay");
        clock.advance(policy.publishDelay());
        rotation.tick("node");
        assertEquals(State.ACTIVE, stored(KID).state());
        assertEquals(State.RETIRED, stored(old).state());
    }

    @Test
    void importAsActiveThenSignsAtOnceAndTheActiveKeyRetires() throws Exception {
        keys.ensure(List.of(SigningAlg.RS256));
        String old = keys.forAlg(SigningAlg.RS256).kid();
        String said = rotation.importKey(imported(KID), State.ACTIVE, "cli");
        assertTrue(said.contains("signs RS256 tokens now") && said.contains(old + " is retired"), said);
        assertEquals(State.ACTIVE, stored(KID).state());
        assertEquals(Optional.of(clock.instant()), stored(KID).activatedAt());
        assertEquals(State.RETIRED, stored(old).state());
        assertEquals(Optional.of(clock.instant().plus(policy.retention(Duration.ofHours(2)))), stored(old).removeAfter());
        assertEquals(List.of(KID + " RS256 imported as next by cli", KID + " RS256 promoted to active by cli",
                old + " RS256 retired (published until " + stored(old).removeAfter().get() + ") by cli"), events);
        keys.reload();
        assertEquals(KID, keys.forAlg(SigningAlg.RS256).kid());
    }

    @Test
    void importAsActiveIntoAnEmptyStoreThenTheOnlyKey() throws Exception {
        rotation.importKey(imported(KID), State.ACTIVE, "cli");
        assertEquals(List.of(KID), store.all().stream().map(StoredKey::kid).toList());
        assertEquals(State.ACTIVE, stored(KID).state());
    }

    @Test
    void importAsNextIntoAnEmptyStoreThenTheFirstTickMakesItActive() throws Exception {
        String said = rotation.importKey(imported(KID), State.NEXT, "cli");
        assertTrue(said.contains("no RS256 key signs now"), said);
        rotation.tick("node");
        assertEquals(State.ACTIVE, stored(KID).state());
        assertEquals(1, store.all().size(), "no key generated beside it");
    }

    @Test
    void importAsRetiredThenVerifiesOnlyUntilItsTokensExpire() throws Exception {
        keys.ensure(List.of(SigningAlg.RS256));
        String active = keys.forAlg(SigningAlg.RS256).kid();
        rotation.importKey(imported(KID), State.RETIRED, "cli");
        StoredKey s = stored(KID);
        assertEquals(State.RETIRED, s.state());
        assertEquals(Optional.of(clock.instant()), s.retiredAt());
        assertEquals(Optional.of(clock.instant().plus(policy.retention(Duration.ofHours(2)))), s.removeAfter());
        keys.reload();
        assertTrue(keys.forKid(KID).isPresent());
        assertEquals(active, keys.forAlg(SigningAlg.RS256).kid());
        clock.advance(policy.retention(Duration.ofHours(2)));
        rotation.tick("node");
        assertTrue(store.all().stream().noneMatch(k -> k.kid().equals(KID)), "removed once nothing it signed is valid");
    }

    @Test
    void importWhenKidExistsOrANextKeyExistsThenRefusedAndNothingChanged() throws Exception {
        keys.ensure(List.of(SigningAlg.RS256));
        String active = keys.forAlg(SigningAlg.RS256).kid();
        List<StoredKey> before = store.all();
        for (State s : State.values()) {
            KeyImport.Invalid e = assertThrows(KeyImport.Invalid.class, () -> rotation.importKey(imported(active), s, "cli"));
            assertTrue(e.getMessage().startsWith("a key with kid " + active + " exists already"), e.getMessage());
        }
        assertEquals(before, store.all());

        StoredKey next = rotation.rotate(SigningAlg.RS256, "cli");
        before = store.all();
        events.clear();
        for (State s : List.of(State.NEXT, State.ACTIVE)) {
            KeyImport.Invalid e = assertThrows(KeyImport.Invalid.class, () -> rotation.importKey(imported(KID), s, "cli"));
            assertTrue(e.getMessage().contains("a next RS256 key exists already (" + next.kid() + ")"), e.getMessage());
        }
        assertEquals(before, store.all());
        assertEquals(List.of(), events);
    }

    @Test
    void keyWithoutCertificateThenTheTickGivesItASelfSignedOneOnce() throws Exception {
        JWK jwk = KeyMaterial.generate(SigningAlg.RS256);
        KeyProtection.Sealed sealed = sealing.seal(jwk.getKeyID(), SigningAlg.RS256, jwk.toJSONString());
        StoredKey old = StoredKey.created(jwk.getKeyID(), SigningAlg.RS256, State.ACTIVE, sealed.value(), clock.instant())
                .withPrivateKey(sealed.value(), sealed.kekId());
        assertTrue(store.insert(old));
        keys.reload();
        assertNull(keys.forKid(old.kid()).orElseThrow().publicJwk().getX509CertChain(), "no certificate yet");
        assertEquals(Optional.empty(), keys.forKid(old.kid()).orElseThrow().x5t());

        assertEquals(List.of(new KeyRing.Certify(SigningAlg.RS256, old.kid())), rotation.tick("node a"));
        assertEquals(List.of(old.kid() + " RS256 self-signed certificate created by node a"), events);
        List<String> chain = stored(old.kid()).certificateChain();
        assertEquals(1, chain.size());
        assertEquals(old.privateKey(), stored(old.kid()).privateKey(), "the key itself is unchanged");

        assertFalse(store.setCertificateChain(old.kid(), List.of("MIIB")), "a second node does not replace it");
        assertEquals(List.of(), rotation.tick("node b"));
        assertEquals(chain, stored(old.kid()).certificateChain());

        keys.reload();  // the cached key is rebuilt for its new certificate
        SigningKeys.Key loaded = keys.forKid(old.kid()).orElseThrow();
        X509Certificate cert = JwksCertificates.assertConsistent(loaded.publicJwk());
        cert.verify(cert.getPublicKey());
        assertEquals(JwksCertificates.b64url(JwksCertificates.digest("SHA-1", cert.getEncoded())), loaded.x5t().orElseThrow().toString());
        assertEquals(JWSAlgorithm.RS256, loaded.jwsAlgorithm());
    }
}
