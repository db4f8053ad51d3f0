package io.gatehouse.store.jdbc;

import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Housekeeping} over the JDBC stores with a controlled clock: what goes, what must stay. */
abstract class PurgeContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
    static final Duration PAST_GRACE = Housekeeping.GRACE.plusSeconds(1);

    private Fakes.MutableClock clock;
    private JdbcTokenStore tokens;
    private JdbcCodeStore codes;
    private JdbcSessionStore sessions;
    private Housekeeping housekeeping;

    @BeforeEach
    void setUp() {
        testDb.clear("grant_jwts", "grants", "sessions");
        clock = new Fakes.MutableClock(T0);
        tokens = new JdbcTokenStore(testDb.db);
        codes = new JdbcCodeStore(testDb.db);
        sessions = new JdbcSessionStore(testDb.db);
        housekeeping = new Housekeeping(tokens, codes, sessions, clock);
    }

    private void grant(String grantId, Instant codeExpiresAt) {
        codes.save(new AuthorizationCode(Tokens.hash("code-" + grantId), grantId, new ClientId("web"), "user-1",
                "https://app.example/cb", true, Scope.of("openid"), Optional.empty(), Optional.empty(), ClaimsRequest.NONE, T0,
                T0, codeExpiresAt));
    }

    private void token(String value, TokenRecord.Kind kind, String grantId, Instant expiresAt, boolean revoked) {
        tokens.save(new TokenRecord(Tokens.hash(value), kind, new ClientId("web"), "user-1", Scope.of("openid"), T0,
                expiresAt, Optional.ofNullable(grantId), revoked));
    }

    private void at(Instant expiry) {
        clock.set(expiry.plus(PAST_GRACE));
    }

    private boolean tokenExists(String value) {
        return tokens.findByHash(Tokens.hash(value)).isPresent();
    }

    private int count(String table) {
        try (Connection c = testDb.db.reads().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void purgeWhenNothingExpiredThenDeletesNothing() {
        grant("g1", T0.plusSeconds(60));
        token("live", TokenRecord.Kind.ACCESS, "g1", T0.plusSeconds(300), false);
        sessions.save(new Session(Tokens.hash("s"), "user-1", T0, T0.plusSeconds(300)));
        clock.set(T0.plusSeconds(200));
        assertEquals(new Housekeeping.Purged(0, 0, 0), housekeeping.purge());
        assertTrue(tokenExists("live"));
        assertTrue(codes.findByGrantId("g1").isPresent());
        assertTrue(sessions.find(Tokens.hash("s")).isPresent());
    }

    @Test
    void purgeWhenExpiredWithinGraceThenKept() {
        token("a", TokenRecord.Kind.ACCESS, null, T0.plusSeconds(300), false);
        tokens.revokeJwt("jti-1", T0.plusSeconds(300));
        clock.set(T0.plusSeconds(300).plus(Housekeeping.GRACE).minusSeconds(1));
        assertEquals(0, housekeeping.purge().total());
        assertTrue(tokenExists("a"));
        assertTrue(tokens.isJwtRevoked("jti-1"));
    }

    @Test
    void purgeRemovesRowsPastExpiryAndGraceButKeepsWhatReuseDetectionAndLiveTokensNeed() {
        Instant codeExp = T0.plusSeconds(60);
        Instant accessExp = T0.plusSeconds(300);
        Instant rotatedExp = T0.plusSeconds(86_400);
        Instant currentExp = T0.plusSeconds(2 * 86_400);
        // g1: code consumed, an opaque access token, a JWT, a rotated (used) refresh token and the current one.
        grant("g1", codeExp);
        assertTrue(codes.consume(Tokens.hash("code-g1"), T0));
        token("access-1", TokenRecord.Kind.ACCESS, "g1", accessExp, false);
        codes.recordJwt("g1", "jwt-1", accessExp);
        token("refresh-rotated", TokenRecord.Kind.REFRESH, "g1", rotatedExp, true);
        token("refresh-current", TokenRecord.Kind.REFRESH, "g1", currentExp, false);
        // g2: a code never redeemed; g3: redeemed for a JWT only.
        grant("g2", codeExp);
        grant("g3", codeExp);
        codes.recordJwt("g3", "jwt-3", accessExp);
        tokens.revokeJwt("revoked-jwt", accessExp);
        token("client-credentials", TokenRecord.Kind.ACCESS, null, accessExp, false);
        sessions.save(new Session(Tokens.hash("old-session"), "user-1", T0, rotatedExp));
        sessions.save(new Session(Tokens.hash("new-session"), "user-1", T0, currentExp.plusSeconds(3600)));

        at(codeExp);  // the codes are past expiry + grace, but g1 and g3 still have live tokens
        assertEquals(new Housekeeping.Purged(0, 1, 0), housekeeping.purge());
        assertTrue(codes.findByGrantId("g2").isEmpty());
        assertTrue(codes.findByGrantId("g1").isPresent());
        assertTrue(codes.findByGrantId("g3").isPresent());

        at(accessExp);  // access tokens, JWT ids and the deny-listed JWT go; so does g3 (nothing alive from it)
        assertEquals(new Housekeeping.Purged(3, 3, 0), housekeeping.purge());
        assertFalse(tokenExists("access-1"));
        assertFalse(tokenExists("client-credentials"));
        assertFalse(tokens.isJwtRevoked("revoked-jwt"));
        assertEquals(0, count("grant_jwts"));
        assertTrue(codes.findByGrantId("g3").isEmpty());
        assertTrue(codes.findByGrantId("g1").isPresent(), "refresh tokens of g1 are alive");
        assertTrue(tokenExists("refresh-rotated"), "a used refresh token stays while it is unexpired: reuse is detected");
        assertTrue(tokens.findByHash(Tokens.hash("refresh-rotated")).orElseThrow().revoked());

        at(rotatedExp);
        assertEquals(new Housekeeping.Purged(1, 0, 1), housekeeping.purge());
        assertFalse(tokenExists("refresh-rotated"));
        assertTrue(tokenExists("refresh-current"));
        assertTrue(codes.findByGrantId("g1").isPresent(), "the family is alive");
        assertTrue(sessions.find(Tokens.hash("old-session")).isEmpty());

        at(currentExp);
        assertEquals(new Housekeeping.Purged(1, 1, 0), housekeeping.purge());
        assertEquals(0, count("tokens"));
        assertEquals(0, count("grants"));
        assertTrue(sessions.find(Tokens.hash("new-session")).isPresent());

        assertEquals(new Housekeeping.Purged(0, 0, 0), housekeeping.purge(), "idempotent");
    }

    @Test
    void deleteInBatchesRemovesABacklogLargerThanOneBatch() {
        for (int i = 0; i < 25; i++) token("old-" + i, TokenRecord.Kind.ACCESS, null, T0, false);
        token("live", TokenRecord.Kind.ACCESS, null, T0.plusSeconds(10), false);
        Jdbc jdbc = new Jdbc(testDb.db);
        assertEquals(25, jdbc.deleteInBatches("tokens", "token_hash", "expires_at < ?", 10, T0.plusSeconds(1).getEpochSecond()));
        assertEquals(1, count("tokens"));
        assertTrue(tokenExists("live"));
    }

    @Test
    void concurrentPurgesOnSeveralNodesDeleteEachRowOnce() throws Exception {
        for (int i = 0; i < 50; i++) token("old-" + i, TokenRecord.Kind.ACCESS, null, T0, false);
        at(T0);
        var results = race(4, () -> housekeeping.purge().tokens());
        assertEquals(50, results.stream().mapToInt(Integer::intValue).sum());
        assertEquals(0, count("tokens"));
    }
}
