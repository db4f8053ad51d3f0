package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** What every {@link KeyStore} must do; run against each database by the *StoreTest classes. */
abstract class KeyStoreContract extends StoreContract {
    static final Instant T = Instant.ofEpochSecond(1_800_000_000L);

    KeyStore keys() {
        return new JdbcKeyStore(testDb.db);
    }

    static StoredKey key(String kid, SigningAlg alg, State state, long createdAt) {
        // Real private JWKs are a few KB (RSA); the column must take far more than a varchar(255).
        String jwk = "{\"kty\":\"test\",\"kid\":\"" + kid + "\",\"d\":\"" + "x".repeat(8000) + "\"}";
        return StoredKey.created(kid, alg, state, jwk, Instant.ofEpochSecond(createdAt));
    }

    @Test
    void insertThenAllReturnsEveryFieldOrderedByCreation() {
        assertEquals(List.of(), keys().all());
        StoredKey es = key("kid-es", SigningAlg.ES256, State.ACTIVE, 200);
        StoredKey rs = key("kid-rs", SigningAlg.RS256, State.NEXT, 100).withPrivateKey("sealed-value", Optional.of("kek-1"))
                .withCertificateChain(List.of("MIIB", "MIIC"));
        assertTrue(keys().insert(es));
        assertTrue(keys().insert(rs));
        assertEquals(List.of(rs, es), keys().all());
    }

    @Test
    void insertWhenAlgHasAnActiveKeyThenASecondActiveIsRefusedButANextIsTaken() {
        StoredKey first = key("first", SigningAlg.PS256, State.ACTIVE, 1);
        assertTrue(keys().insert(first));
        assertFalse(keys().insert(key("second", SigningAlg.PS256, State.ACTIVE, 2)));
        assertTrue(keys().insert(key("next", SigningAlg.PS256, State.NEXT, 2)));
        assertFalse(keys().insert(key("next-2", SigningAlg.PS256, State.NEXT, 3)));
        assertTrue(keys().insert(key("old", SigningAlg.PS256, State.RETIRED, 0)));
        assertTrue(keys().insert(key("older", SigningAlg.PS256, State.RETIRED, 0)));
        assertEquals(List.of("old", "older", "first", "next"), keys().all().stream().map(StoredKey::kid).toList());
    }

    @Test
    void insertWhenKidExistsForAnotherAlgThenFalse() {
        assertTrue(keys().insert(key("same-kid", SigningAlg.RS256, State.ACTIVE, 1)));
        assertFalse(keys().insert(key("same-kid", SigningAlg.EdDSA, State.ACTIVE, 1)));
        assertEquals(1, keys().all().size());
    }

    @Test
    void promoteThenNextActiveAndOldRetiredWithTimes() {
        keys().insert(key("a", SigningAlg.RS256, State.ACTIVE, 1));
        keys().insert(key("b", SigningAlg.RS256, State.NEXT, 2));
        assertTrue(keys().promote("b", Optional.of("a"), T, T.plusSeconds(7200)));
        StoredKey a = keys().all().stream().filter(k -> k.kid().equals("a")).findFirst().orElseThrow();
        StoredKey b = keys().all().stream().filter(k -> k.kid().equals("b")).findFirst().orElseThrow();
        assertEquals(State.RETIRED, a.state());
        assertEquals(Optional.of(T), a.retiredAt());
        assertEquals(Optional.of(T.plusSeconds(7200)), a.removeAfter());
        assertEquals(State.ACTIVE, b.state());
        assertEquals(Optional.of(T), b.activatedAt());
        assertFalse(keys().promote("b", Optional.of("a"), T, T), "nothing left to promote: no change");
    }

    @Test
    void promoteWhenTwoNodesRaceThenExactlyOneWinsAndOneKeyIsActive() throws Exception {
        keys().insert(key("a", SigningAlg.ES256, State.ACTIVE, 1));
        keys().insert(key("b", SigningAlg.ES256, State.NEXT, 2));
        List<Boolean> won = race(4, i -> keys().promote("b", Optional.of("a"), T, T.plusSeconds(60)));
        assertEquals(1, won.stream().filter(x -> x).count(), won.toString());
        assertEquals(List.of("b"), keys().all().stream().filter(k -> k.state() == State.ACTIVE).map(StoredKey::kid).toList());
    }

    @Test
    void promoteWhenRetiringKeyIsNoLongerActiveThenNothingChanges() {
        keys().insert(key("a", SigningAlg.ES256, State.ACTIVE, 1));
        keys().insert(key("b", SigningAlg.ES256, State.NEXT, 2));
        assertFalse(keys().promote("b", Optional.of("zzz"), T, T));
        assertFalse(keys().promote("b", Optional.empty(), T, T), "a second active key is refused by the database");
        assertEquals(List.of(State.ACTIVE, State.NEXT), keys().all().stream().map(StoredKey::state).toList());
    }

    @Test
    void retireAndRemoveAreConditionalOnTheState() {
        keys().insert(key("a", SigningAlg.EdDSA, State.NEXT, 1));
        assertFalse(keys().retire("a", State.ACTIVE, T, T));
        assertTrue(keys().retire("a", State.NEXT, T, T.plusSeconds(5)));
        assertFalse(keys().remove("a", State.NEXT));
        assertTrue(keys().remove("a", State.RETIRED));
        assertEquals(List.of(), keys().all());
        assertFalse(keys().remove("a", State.RETIRED));
    }

    @Test
    void replacePrivateKeyOnlyWhenUnchangedAndCertificateOnlyOnce() {
        StoredKey k = key("a", SigningAlg.RS256, State.ACTIVE, 1);
        keys().insert(k);
        assertTrue(keys().replacePrivateKey("a", k.privateKey(), "sealed", Optional.of("kek")));
        assertFalse(keys().replacePrivateKey("a", k.privateKey(), "other", Optional.empty()), "changed meanwhile");
        assertTrue(keys().setCertificateChain("a", List.of("MIIB")));
        assertFalse(keys().setCertificateChain("a", List.of("MIIC")));
        StoredKey now = keys().all().getFirst();
        assertEquals("sealed", now.privateKey());
        assertEquals(Optional.of("kek"), now.kekId());
        assertEquals(List.of("MIIB"), now.certificateChain());
    }

    @Test
    void replaceAllPrivateKeysIsAllOrNothing() {
        StoredKey a = key("a", SigningAlg.RS256, State.ACTIVE, 1);
        StoredKey b = key("b", SigningAlg.ES256, State.ACTIVE, 2);
        keys().insert(a);
        keys().insert(b);
        var ra = new KeyStore.Replacement("a", a.privateKey(), "sealed-a", Optional.of("kek2"));
        var rb = new KeyStore.Replacement("b", b.privateKey(), "sealed-b", Optional.of("kek2"));
        var stale = new KeyStore.Replacement("b", "not what is stored", "sealed-b", Optional.of("kek2"));
        assertFalse(keys().replaceAllPrivateKeys(List.of(ra, stale)), "b changed meanwhile");
        assertFalse(keys().replaceAllPrivateKeys(List.of(ra)), "b would be left out");
        assertEquals(List.of(a, b), keys().all(), "nothing changed, a included");
        assertTrue(keys().replaceAllPrivateKeys(List.of(ra, rb)));
        assertEquals(List.of("sealed-a", "sealed-b"), keys().all().stream().map(StoredKey::privateKey).toList());
        assertEquals(List.of(Optional.of("kek2"), Optional.of("kek2")), keys().all().stream().map(StoredKey::kekId).toList());
    }

    @Test
    void insertWhenManyNodesRaceForEveryAlgThenOneActiveKeyPerAlg() throws Exception {
        int nodes = 8;
        List<Integer> wins = race(nodes, n -> {
            int w = 0;
            for (SigningAlg alg : SigningAlg.values()) {
                if (keys().insert(key(alg + "-node" + n, alg, State.ACTIVE, 1))) w++;
            }
            return w;
        });
        assertEquals(SigningAlg.values().length, wins.stream().mapToInt(Integer::intValue).sum(), wins.toString());
        assertEquals(SigningAlg.values().length, keys().all().size());
    }
}
