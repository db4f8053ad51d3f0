package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.GrantStore.Issue;
import io.gatehouse.core.port.GrantStore.JwtId;
import io.gatehouse.core.port.GrantStore.Outcome;
import io.gatehouse.core.token.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What {@link GrantStore} must do (run against each database by the *StoreTest classes): a refresh-token rotation
 * (consume the old token, store the new one, record the new JWT id) and a grant revocation are each one transaction.
 */
abstract class GrantStoreContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
    JdbcCodeStore grants;
    JdbcTokenStore tokens;

    @BeforeEach
    void stores() {
        testDb.clear("grant_jwts", "grants");
        grants = new JdbcCodeStore(testDb.db);
        tokens = new JdbcTokenStore(testDb.db);
        grants.save(new AuthorizationCode(Tokens.hash("code-g1"), "g1", new ClientId("web"), "user-1", "https://app.example/cb",
                true, Scope.of("openid", "api"), Optional.empty(), Optional.empty(), ClaimsRequest.NONE, T0.minusSeconds(30), T0,
                T0.plusSeconds(60)));
        tokens.save(refresh("rt-0"));
    }

    static TokenRecord refresh(String value) {
        return new TokenRecord(Tokens.hash(value), TokenRecord.Kind.REFRESH, new ClientId("web"), "user-1",
                Scope.of("openid", "api"), T0, T0.plusSeconds(3600), Optional.of("g1"), false);
    }

    static Issue rotation(String from, String to, String jti) {
        return new Issue("g1", Optional.of(Tokens.hash(from)), Optional.of(refresh(to)),
                Optional.of(new JwtId(jti, T0.plusSeconds(300))));
    }

    boolean revoked(String value) {
        return tokens.findByHash(Tokens.hash(value)).orElseThrow().revoked();
    }

    int count(String sql) {
        return testDb.db.write(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void findRefreshTokenReturnsTheTokenWithItsGrantsAuthTimeAndClaims() {
        GrantStore.RefreshGrant found = grants.findRefreshToken(Tokens.hash("rt-0")).orElseThrow();
        assertEquals(refresh("rt-0"), found.token());
        assertEquals(T0.minusSeconds(30), found.authTime());
        assertEquals(ClaimsRequest.NONE, found.claims());
        assertEquals(Optional.empty(), grants.findRefreshToken(Tokens.hash("unknown")));
    }

    @Test
    void issueWhenRotatingThenOldConsumedNewStoredAndJwtRecorded() {
        assertEquals(Outcome.ISSUED, grants.issue(rotation("rt-0", "rt-1", "jti-1")));
        assertTrue(revoked("rt-0"));
        assertFalse(revoked("rt-1"));
        assertEquals("g1", grants.findByJwt("jti-1").orElseThrow().grantId());
        assertEquals(Outcome.ALREADY_USED, grants.issue(rotation("rt-0", "rt-2", "jti-2")));
        assertEquals(Optional.empty(), tokens.findByHash(Tokens.hash("rt-2")));
        assertEquals(Optional.empty(), grants.findByJwt("jti-2"));
    }

    @Test
    void issueWhenAWriteFailsInTheMiddleThenNothingWrittenAndOldTokenStillUnused() {
        grants.recordJwt("g1", "jti-taken", T0.plusSeconds(300));  // the last insert of the rotation will fail on it
        assertThrows(RuntimeException.class, () -> grants.issue(rotation("rt-0", "rt-1", "jti-taken")));
        assertFalse(revoked("rt-0"), "the old token was consumed by a rotation that failed");
        assertEquals(Optional.empty(), tokens.findByHash(Tokens.hash("rt-1")));
        // ... and it still works once.
        assertEquals(Outcome.ISSUED, grants.issue(rotation("rt-0", "rt-1", "jti-1")));
    }

    @Test
    void issueWhenTwentyConcurrentRotationsOfOneTokenThenExactlyOneIssued() throws Exception {
        List<Outcome> outcomes = race(20, i -> grants.issue(rotation("rt-0", "rt-new-" + i, "jti-" + i)));
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.ISSUED).count(), outcomes.toString());
        assertEquals(19, outcomes.stream().filter(o -> o == Outcome.ALREADY_USED).count(), outcomes.toString());
        assertEquals(2, count("select count(*) from tokens where grant_id = 'g1'"));
        assertEquals(1, count("select count(*) from grant_jwts where grant_id = 'g1'"));
    }

    @Test
    void issueWhenGrantRevokedThenWhatItWroteIsRevokedToo() {
        grants.revokeGrant("g1");
        assertEquals(Outcome.GRANT_REVOKED, grants.issue(new Issue("g1", Optional.empty(), Optional.of(refresh("rt-1")),
                Optional.of(new JwtId("jti-1", T0.plusSeconds(300))))));
        assertTrue(revoked("rt-1"));
        assertTrue(tokens.isJwtRevoked("jti-1"));
        assertEquals(Outcome.ALREADY_USED, grants.issue(rotation("rt-0", "rt-2", "jti-2")));
    }

    @Test
    void issueWhenRacingRevokeGrantThenNoLiveTokenLeft() throws Exception {
        for (int round = 0; round < 10; round++) {
            testDb.clear("tokens", "revoked_jwts");
            stores();
            String from = "rt-0";
            List<Object> r = race(2, i -> {
                if (i == 0) return grants.issue(rotation(from, "rt-1", "jti-1"));
                grants.revokeGrant("g1");
                return "revoked";
            });
            assertEquals(0, count("select count(*) from tokens where grant_id = 'g1' and revoked = false"), "round " + round + ": " + r);
            assertEquals(0, count("select count(*) from grant_jwts j where not exists "
                    + "(select 1 from revoked_jwts r where r.jti = j.jti)"), "round " + round + ": " + r);
        }
    }

    @Test
    void revokeGrantWhenAStatementFailsThenNothingRevoked() {
        assertEquals(Outcome.ISSUED, grants.issue(rotation("rt-0", "rt-1", "jti-1")));
        // The last of its three statements fails (its table is gone for a moment): the first two must be undone.
        testDb.db.write(c -> Jdbc.update(c, "alter table revoked_jwts rename to revoked_jwts_away"));
        try {
            assertThrows(RuntimeException.class, () -> grants.revokeGrant("g1"));
        } finally {
            testDb.db.write(c -> Jdbc.update(c, "alter table revoked_jwts_away rename to revoked_jwts"));
        }
        assertFalse(grants.isGrantRevoked("g1"));
        assertFalse(revoked("rt-1"));
        grants.revokeGrant("g1");
        assertTrue(grants.isGrantRevoked("g1"));
        assertTrue(revoked("rt-1"));
        assertTrue(tokens.isJwtRevoked("jti-1"));
    }
}
