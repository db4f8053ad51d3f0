package io.gatehouse.core.token.keys;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The crypto of encryption at rest: AES-256-GCM under a KEK, kid and alg bound as associated data. */
class AesGcmKeyProtectionTest {
    static final String JWK_JSON = "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LWtleS1tYXRlcmlhbA\"}";
    static final byte[] KEK = kek(1);
    static final byte[] OTHER_KEK = kek(2);
    static final AesGcmKeyProtection P = AesGcmKeyProtection.of(KEK);

    static byte[] kek(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) k[i] = (byte) (seed * 31 + i);
        return k;
    }

    static StoredKey row(String kid, SigningAlg alg, KeyProtection.Sealed s) {
        return StoredKey.created(kid, alg, State.ACTIVE, s.value(), Instant.EPOCH).withPrivateKey(s.value(), s.kekId());
    }

    @Test
    void sealThenOpenGivesTheJwkBackAndTheStoredFormHoldsNoneOfIt() {
        KeyProtection.Sealed s = P.seal("kid-1", SigningAlg.ES256, JWK_JSON);
        assertEquals(P.kekId(), s.kekId());
        assertTrue(s.value().startsWith("gcm1."), s.value());
        assertFalse(s.value().contains("c2VjcmV0"), s.value());
        assertFalse(s.toString().contains(s.value()), "toString shows no stored value");
        assertEquals(JWK_JSON, P.open(row("kid-1", SigningAlg.ES256, s)));
    }

    @Test
    void sealWhenRepeatedThenEveryNonceAndCiphertextDiffers() {
        Set<String> nonces = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String v = P.seal("kid", SigningAlg.RS256, JWK_JSON).value();
            nonces.add(v.split("\\.")[1]);
            values.add(v);
            assertEquals(12, Base64.getUrlDecoder().decode(v.split("\\.")[1]).length, "96-bit nonce");
        }
        assertEquals(50, nonces.size());
        assertEquals(50, values.size());
    }

    @Test
    void fingerprintIs16HexDigitsStablePerKekAndDiffersBetweenKeks() {
        String id = AesGcmKeyProtection.fingerprint(KEK);
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        assertEquals(id, AesGcmKeyProtection.fingerprint(kek(1)));
        assertEquals(Optional.of(id), P.kekId());
        assertNotEquals(id, AesGcmKeyProtection.fingerprint(OTHER_KEK));
        assertFalse(P.toString().contains(Base64.getEncoder().encodeToString(KEK)));
    }

    @Test
    void openWhenSealedUnderAnotherKekThenFailureNamesKidAndBothKekIds() {
        AesGcmKeyProtection other = AesGcmKeyProtection.of(OTHER_KEK);
        StoredKey k = row("kid-x", SigningAlg.PS256, other.seal("kid-x", SigningAlg.PS256, JWK_JSON));
        KeyProtection.Failure f = assertThrows(KeyProtection.Failure.class, () -> P.open(k));
        assertTrue(f.getMessage().contains("kid-x"), f.getMessage());
        assertTrue(f.getMessage().contains(other.kekId().orElseThrow()), f.getMessage());
        assertTrue(f.getMessage().contains(P.kekId().orElseThrow()), f.getMessage());
        assertFalse(f.getMessage().contains("corrupt"), "another KEK is not a corrupt row: " + f.getMessage());
    }

    @Test
    void openWhenMovedToAnotherKidOrAlgThenCorrupt() {
        KeyProtection.Sealed s = P.seal("kid-a", SigningAlg.ES256, JWK_JSON);
        for (StoredKey moved : List.of(row("kid-b", SigningAlg.ES256, s), row("kid-a", SigningAlg.EdDSA, s))) {
            KeyProtection.Failure f = assertThrows(KeyProtection.Failure.class, () -> P.open(moved));
            assertTrue(f.getMessage().contains(moved.kid()) && f.getMessage().contains("corrupt"), f.getMessage());
        }
    }

    @Test
    void openWhenAnyByteOfTheCiphertextIsFlippedThenCorruptNamingTheKid() {
        String v = P.seal("kid-c", SigningAlg.RS256, JWK_JSON).value();
        String[] parts = v.split("\\.");
        byte[] ct = Base64.getUrlDecoder().decode(parts[2]);
        for (int i = 0; i < ct.length; i++) {
            byte[] bad = ct.clone();
            bad[i] ^= 1;
            String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
            StoredKey k = row("kid-c", SigningAlg.RS256, new KeyProtection.Sealed(tampered, P.kekId()));
            KeyProtection.Failure f = assertThrows(KeyProtection.Failure.class, () -> P.open(k));
            assertTrue(f.getMessage().contains("kid-c") && f.getMessage().contains("authentication tag"), f.getMessage());
        }
    }

    @Test
    void openWhenStoredValueIsNotASealedKeyThenCorruptNamingTheKid() {
        for (String bad : List.of("", "gcm1.", "gcm1.AAAA", "gcm1.!!!.AAAA", "gcm1.AAAAAAAAAAAAAAAA.AA", JWK_JSON,
                "gcm2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAA")) {
            StoredKey k = row("kid-d", SigningAlg.ES256, new KeyProtection.Sealed(bad, P.kekId()));
            KeyProtection.Failure f = assertThrows(KeyProtection.Failure.class, () -> P.open(k), bad);
            assertTrue(f.getMessage().contains("kid-d") && f.getMessage().contains("corrupt"), f.getMessage());
        }
    }

    @Test
    void openWhenRowIsAPlainJwkFromBeforeEncryptionThenItOpensForSealing() {
        StoredKey plain = StoredKey.created("kid-p", SigningAlg.ES256, State.ACTIVE, JWK_JSON, Instant.EPOCH);
        assertEquals(JWK_JSON, P.open(plain));
    }

    @Test
    void ofWhenKekIsNot32BytesThenRefused() {
        for (int n : new int[]{0, 16, 31, 33, 64}) {
            assertThrows(IllegalArgumentException.class, () -> AesGcmKeyProtection.of(new byte[n]), n + " bytes");
        }
    }

    @Test
    void plaintextProtectionRefusesASealedKeyNamingIt() {
        StoredKey k = row("kid-s", SigningAlg.ES256, P.seal("kid-s", SigningAlg.ES256, JWK_JSON));
        KeyProtection.Failure f = assertThrows(KeyProtection.Failure.class, () -> KeyProtection.plaintext().open(k));
        assertTrue(f.getMessage().contains("kid-s") && f.getMessage().contains(P.kekId().orElseThrow()), f.getMessage());
    }

    @Test
    void signingKeysWithTheProtectionStoreSealedKeysThatSignAfterAReloadUnderTheSameKek() throws Exception {
        Fakes.Keys store = new Fakes.Keys();
        SigningKeys a = new SigningKeys(store, P, Clock.systemUTC());
        a.ensure(List.of(SigningAlg.values()));
        for (StoredKey k : store.all()) {
            assertEquals(P.kekId(), k.kekId());
            assertTrue(k.privateKey().startsWith("gcm1."));
            JWK jwk = JWK.parse(P.open(k));
            assertTrue(jwk.isPrivate());
            Map<String, Object> members = jwk.toJSONObject();
            assertFalse(k.privateKey().contains((String) members.get("d")), "d in clear");
        }
        SigningKeys b = new SigningKeys(store, AesGcmKeyProtection.of(kek(1)), Clock.systemUTC());
        b.reload();
        assertEquals(a.publicJwksJson(), b.publicJwksJson());
        SigningKeys wrong = new SigningKeys(store, AesGcmKeyProtection.of(OTHER_KEK), Clock.systemUTC());
        assertThrows(KeyProtection.Failure.class, wrong::reload);
    }

    @Test
    void sealPlainSealsOnlyPlainRowsOnceAndReportsEach() {
        Fakes.Keys store = new Fakes.Keys();
        new SigningKeys(store, KeyProtection.plaintext(), Clock.systemUTC()).ensure(List.of(SigningAlg.ES256, SigningAlg.EdDSA));
        List<String> events = new java.util.ArrayList<>();
        KeyEvents audit = (kid, alg, change, actor) -> events.add(kid + " " + change + " by " + actor);
        List<String> sealed = KeysAtRest.sealPlain(store, P, audit, "test");
        assertEquals(2, sealed.size());
        assertEquals(2, events.size());
        assertTrue(events.getFirst().contains("encrypted at rest (KEK id " + P.kekId().orElseThrow() + ")"), events.toString());
        assertTrue(store.all().stream().allMatch(k -> k.kekId().equals(P.kekId())));
        assertEquals(List.of(), KeysAtRest.sealPlain(store, P, audit, "test"), "nothing left to seal");
    }

    @Test
    void rewrapMovesEveryKeyToTheNewKekOrNothingWhenOneDoesNotOpen() {
        Fakes.Keys store = new Fakes.Keys();
        new SigningKeys(store, P, Clock.systemUTC()).ensure(List.of(SigningAlg.ES256, SigningAlg.EdDSA));
        AesGcmKeyProtection next = AesGcmKeyProtection.of(OTHER_KEK);
        List<StoredKey> before = store.all();

        // A wrong current KEK: refused, nothing changed.
        assertThrows(KeyProtection.Failure.class, () -> KeysAtRest.rewrap(store, AesGcmKeyProtection.of(kek(3)), next,
                KeyEvents.none(), "test"));
        assertEquals(before, store.all());

        KeysAtRest.rewrap(store, P, next, KeyEvents.none(), "test");
        for (StoredKey k : store.all()) {
            assertEquals(next.kekId(), k.kekId());
            StoredKey old = before.stream().filter(b -> b.kid().equals(k.kid())).findFirst().orElseThrow();
            assertEquals(P.open(old), next.open(k));
        }
        assertThrows(KeyProtection.Failure.class, () -> P.open(store.all().getFirst()), "the old KEK opens nothing now");
    }
}
