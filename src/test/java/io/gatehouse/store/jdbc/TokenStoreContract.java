package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.core.token.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** What every {@link TokenStore} must do; run against each database by the *StoreTest classes. */
abstract class TokenStoreContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");

    TokenStore store() {
        return new JdbcTokenStore(testDb.db);
    }

    static TokenRecord token(String value, String grantId, Instant expiresAt) {
        return new TokenRecord(Tokens.hash(value), TokenRecord.Kind.ACCESS, new ClientId("svc"), "user-1",
                Scope.of("read", "write"), T0, expiresAt, Optional.ofNullable(grantId), false);
    }

    @Test
    void saveThenFindByHashReturnsEveryField() {
        TokenRecord access = token("tok-a", null, T0.plusSeconds(3600));
        TokenRecord refresh = new TokenRecord(Tokens.hash("tok-r"), TokenRecord.Kind.REFRESH, new ClientId("web-app"),
                "alice@example.com", Scope.EMPTY, T0, T0.plusSeconds(86_400 * 3650L), Optional.of("g".repeat(64)), false);
        store().save(access);
        store().save(refresh);
        assertEquals(access, store().findByHash(access.tokenHash()).orElseThrow());
        assertEquals(refresh, store().findByHash(refresh.tokenHash()).orElseThrow());
        assertEquals(Optional.empty(), store().findByHash(Tokens.hash("never-issued")));
    }

    @Test
    void saveWhenRevokedFlagSetThenKept() {
        TokenRecord t = new TokenRecord(Tokens.hash("pre-revoked"), TokenRecord.Kind.ACCESS, new ClientId("svc"), "svc",
                Scope.EMPTY, T0, T0.plusSeconds(60), Optional.empty(), true);
        store().save(t);
        assertTrue(store().findByHash(t.tokenHash()).orElseThrow().revoked());
    }

    @Test
    void saveWhenHashExistsThenFailsAndFirstIsKept() {
        TokenRecord first = token("same", "g1", T0.plusSeconds(60));
        store().save(first);
        assertThrows(RuntimeException.class, () -> store().save(token("same", "g2", T0.plusSeconds(999))));
        assertEquals(first, store().findByHash(first.tokenHash()).orElseThrow());
    }

    @Test
    void revokeMarksOnlyThatTokenAndIsFalseWhenUnknown() {
        TokenRecord a = token("a", null, T0.plusSeconds(60));
        TokenRecord b = token("b", null, T0.plusSeconds(60));
        store().save(a);
        store().save(b);
        assertTrue(store().revoke(a.tokenHash()));
        assertTrue(store().findByHash(a.tokenHash()).orElseThrow().revoked());
        assertFalse(store().findByHash(b.tokenHash()).orElseThrow().revoked());
        assertTrue(store().revoke(a.tokenHash()), "revoking twice still finds the token");
        assertFalse(store().revoke(Tokens.hash("unknown")));
    }

    @Test
    void revokeGrantRevokesTheWholeFamilyAndCountsOnlyNewlyRevoked() {
        for (int i = 0; i < 3; i++) store().save(token("fam-" + i, "grant-1", T0.plusSeconds(60)));
        store().save(token("other", "grant-2", T0.plusSeconds(60)));
        store().save(token("loner", null, T0.plusSeconds(60)));
        store().revoke(Tokens.hash("fam-0"));
        assertEquals(2, store().revokeGrant("grant-1"));
        for (int i = 0; i < 3; i++) assertTrue(store().findByHash(Tokens.hash("fam-" + i)).orElseThrow().revoked());
        assertFalse(store().findByHash(Tokens.hash("other")).orElseThrow().revoked());
        assertFalse(store().findByHash(Tokens.hash("loner")).orElseThrow().revoked());
        assertEquals(0, store().revokeGrant("grant-1"));
        assertEquals(0, store().revokeGrant("no-such-grant"));
    }

    @Test
    void revokedJwtIdsAreRememberedAndRevokingTwiceIsHarmless() {
        assertFalse(store().isJwtRevoked("jti-1"));
        store().revokeJwt("jti-1", T0.plusSeconds(60));
        store().revokeJwt("jti-1", T0.plusSeconds(60));
        assertTrue(store().isJwtRevoked("jti-1"));
        assertFalse(store().isJwtRevoked("jti-2"));
        assertFalse(store().isJwtRevoked("JTI-1"), "ids are compared exactly");
    }

    @Test
    void purgeExpiredDeletesOnlyRowsExpiredBeforeTheCutoff() {
        Instant cutoff = T0.plusSeconds(1000);
        store().save(token("old", null, cutoff.minusSeconds(1)));
        store().save(token("edge", null, cutoff));
        store().save(token("new", null, cutoff.plusSeconds(1)));
        store().revokeJwt("old-jti", cutoff.minusSeconds(1));
        store().revokeJwt("edge-jti", cutoff);
        assertEquals(2, store().purgeExpired(cutoff));
        assertTrue(store().findByHash(Tokens.hash("old")).isEmpty());
        assertTrue(store().findByHash(Tokens.hash("edge")).isPresent());
        assertTrue(store().findByHash(Tokens.hash("new")).isPresent());
        assertFalse(store().isJwtRevoked("old-jti"));
        assertTrue(store().isJwtRevoked("edge-jti"));
        assertEquals(0, store().purgeExpired(cutoff));
    }

    @Test
    void concurrentSavesFromManyThreadsAllLand() throws Exception {
        int threads = 8;
        int perThread = 50;
        race(threads, t -> {
            for (int i = 0; i < perThread; i++) store().save(token("c-" + t + "-" + i, "g-" + t, T0.plusSeconds(60)));
            return null;
        });
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertTrue(store().findByHash(Tokens.hash("c-" + t + "-" + i)).isPresent());
            }
        }
    }

    @Test
    void revokeGrantWhenRacedThenEachTokenCountedOnce() throws Exception {
        int n = 40;
        for (int i = 0; i < n; i++) store().save(token("r-" + i, "raced", T0.plusSeconds(60)));
        List<Integer> counts = race(8, () -> store().revokeGrant("raced"));
        assertEquals(n, counts.stream().mapToInt(Integer::intValue).sum(), counts.toString());
    }

    @Test
    void revokeJwtWhenRacedThenNoErrorAndRevoked() throws Exception {
        race(8, () -> {
            store().revokeJwt("raced-jti", T0.plusSeconds(60));
            return null;
        });
        assertTrue(store().isJwtRevoked("raced-jti"));
    }
}
