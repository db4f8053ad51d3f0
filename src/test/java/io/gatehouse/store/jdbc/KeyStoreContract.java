package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.StoredKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** What every {@link KeyStore} must do; run against each database by the *StoreTest classes. */
abstract class KeyStoreContract extends StoreContract {
    KeyStore keys() {
        return new JdbcKeyStore(testDb.db);
    }

    static StoredKey key(String kid, SigningAlg alg, long createdAt) {
        // Real private JWKs are a few KB (RSA); the column must take far more than a varchar(255).
        String jwk = "{\"kty\":\"test\",\"kid\":\"" + kid + "\",\"d\":\"" + "x".repeat(8000) + "\"}";
        return new StoredKey(kid, alg, jwk, Instant.ofEpochSecond(createdAt));
    }

    @Test
    void insertThenAllReturnsEveryFieldOrderedByCreation() {
        assertEquals(List.of(), keys().all());
        StoredKey es = key("kid-es", SigningAlg.ES256, 200);
        StoredKey rs = key("kid-rs", SigningAlg.RS256, 100);
        assertTrue(keys().insertIfNoneFor(es));
        assertTrue(keys().insertIfNoneFor(rs));
        List<StoredKey> all = keys().all();
        assertEquals(List.of(rs, es), all);
        assertEquals(rs.privateJwk(), all.getFirst().privateJwk());
    }

    @Test
    void insertWhenAlgHasAKeyThenFalseAndFirstKept() {
        StoredKey first = key("first", SigningAlg.PS256, 1);
        assertTrue(keys().insertIfNoneFor(first));
        assertFalse(keys().insertIfNoneFor(key("second", SigningAlg.PS256, 2)));
        assertEquals(List.of(first), keys().all());
    }

    @Test
    void insertWhenKidExistsForAnotherAlgThenFalse() {
        assertTrue(keys().insertIfNoneFor(key("same-kid", SigningAlg.RS256, 1)));
        assertFalse(keys().insertIfNoneFor(key("same-kid", SigningAlg.EdDSA, 1)));
        assertEquals(1, keys().all().size());
    }

    @Test
    void insertIfNoneForTwiceForOneAlgThenExactlyOneWins() throws Exception {
        for (SigningAlg alg : SigningAlg.values()) {
            List<Boolean> won = race(2, i -> keys().insertIfNoneFor(key(alg + "-" + i, alg, 1)));
            assertEquals(1, won.stream().filter(b -> b).count(), alg + ": " + won);
            String winner = alg + "-" + won.indexOf(true);
            assertEquals(List.of(winner), keys().all().stream().filter(k -> k.alg() == alg).map(StoredKey::kid).toList());
        }
        assertEquals(SigningAlg.values().length, keys().all().size());
    }

    @Test
    void insertWhenManyNodesRaceForEveryAlgThenOneKeyPerAlg() throws Exception {
        int nodes = 8;
        List<Integer> wins = race(nodes, n -> {
            int w = 0;
            for (SigningAlg alg : SigningAlg.values()) {
                if (keys().insertIfNoneFor(key(alg + "-node" + n, alg, 1))) w++;
            }
            return w;
        });
        assertEquals(SigningAlg.values().length, wins.stream().mapToInt(Integer::intValue).sum(), wins.toString());
        assertEquals(SigningAlg.values().length, keys().all().stream().map(StoredKey::alg).distinct().count());
        assertEquals(SigningAlg.values().length, keys().all().size());
    }
}
