package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.GrantStore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Codes and the grants they start in {@code grants} ({@link CodeStore} and {@link GrantStore}: one row holds both), JWT ids
 * per grant in {@code grant_jwts}, and the tokens a grant issues in {@code tokens}. Consuming a code is one
 * conditional UPDATE, so exactly one concurrent redemption wins, whichever node it runs on.
 */
public final class JdbcCodeStore implements CodeStore, GrantStore {
    private static final String COLUMNS = "grant_id, code_hash, client_id, user_id, redirect_uri, redirect_uri_sent, scope, "
            + "nonce, code_challenge, claims_request, auth_time, issued_at, code_expires_at";
    /** The same columns of the grant joined as {@code g}. */
    private static final String G_COLUMNS = COLUMNS.replaceAll("(\\w+)", "g.$1");
    private static final String INSERT = "insert into grants (" + COLUMNS + ", code_consumed, revoked) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false)";

    private final Database db;
    private final Jdbc jdbc;

    public JdbcCodeStore(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void save(AuthorizationCode c) {
        jdbc.update(INSERT, values(c));
    }

    /** Queued on SQLite; committed with the session the sign-in writes next (written at once on PostgreSQL). */
    @Override
    public void saveDeferred(AuthorizationCode c) {
        jdbc.updateDeferred(INSERT, values(c));
    }

    private static Object[] values(AuthorizationCode c) {
        return new Object[] {c.grantId(), c.codeHash(), c.clientId().value(), c.userId(), c.redirectUri(),
                c.redirectUriSent(), c.scope().asString(), c.nonce().orElse(null), c.codeChallenge().orElse(null),
                StoredJson.claims(c.claims()), c.authTime().getEpochSecond(), c.issuedAt().getEpochSecond(),
                c.expiresAt().getEpochSecond()};
    }

    @Override
    public Optional<AuthorizationCode> findByHash(String codeHash) {
        return jdbc.one("select " + COLUMNS + " from grants where code_hash = ?", JdbcCodeStore::map, codeHash);
    }

    @Override
    public Optional<AuthorizationCode> findByGrantId(String grantId) {
        return jdbc.one("select " + COLUMNS + " from grants where grant_id = ?", JdbcCodeStore::map, grantId);
    }

    @Override
    public Optional<AuthorizationCode> findByJwt(String jti) {
        return jdbc.one("select " + G_COLUMNS + " from grant_jwts j join grants g on g.grant_id = j.grant_id where j.jti = ?",
                JdbcCodeStore::map, jti);
    }

    @Override
    public boolean consume(String codeHash, Instant now) {
        return jdbc.update("update grants set code_consumed = true where code_hash = ? and code_consumed = false "
                + "and code_expires_at > ?", codeHash, now.getEpochSecond()) == 1;
    }

    @Override
    public Optional<RefreshGrant> findRefreshToken(String tokenHash) {
        return jdbc.one("select t.token_hash, t.kind, t.client_id, t.subject, t.scope, t.issued_at, t.expires_at, t.grant_id, "
                + "t.revoked, g.auth_time, g.claims_request from tokens t join grants g on g.grant_id = t.grant_id "
                + "where t.token_hash = ? and t.kind = 'REFRESH'", rs -> new RefreshGrant(JdbcTokenStore.map(rs),
                Instant.ofEpochSecond(rs.getLong("auth_time")), StoredJson.claims(rs.getString("claims_request"))), tokenHash);
    }

    /**
     * One transaction. It starts by updating the grant's row (a no-op change), which on PostgreSQL locks it: a
     * concurrent {@link #revokeGrant} (which updates that row first too) runs wholly before or wholly after, so it
     * never misses a token written here. On SQLite writes are serial anyway.
     */
    @Override
    public Outcome issue(Issue issue) {
        return db.write(c -> {
            if (Jdbc.update(c, "update grants set revoked = revoked where grant_id = ?", issue.grantId()) == 0) {
                return issue.consumes().isPresent() ? Outcome.ALREADY_USED : Outcome.GRANT_REVOKED;  // no such grant
            }
            if (issue.consumes().isPresent() && Jdbc.update(c, "update tokens set revoked = true where token_hash = ? "
                    + "and revoked = false and grant_id = ?", issue.consumes().get(), issue.grantId()) != 1) {
                return Outcome.ALREADY_USED;
            }
            if (issue.refreshToken().isPresent()) JdbcTokenStore.insert(c, issue.refreshToken().get());
            if (issue.jwt().isPresent()) {
                Jdbc.update(c, "insert into grant_jwts (jti, grant_id, expires_at) values (?, ?, ?)", issue.jwt().get().jti(),
                        issue.grantId(), issue.jwt().get().expiresAt().getEpochSecond());
            }
            if (!grantRevoked(c, issue.grantId())) return Outcome.ISSUED;
            revoke(c, issue.grantId());  // revoked meanwhile (a code reused): what was just written is revoked too
            return Outcome.GRANT_REVOKED;
        });
    }

    @Override
    public void revokeGrant(String grantId) {
        db.write(c -> revoke(c, grantId));
    }

    /** One transaction: the grant, its refresh and opaque tokens, and the ids of its JWTs are revoked together. */
    private static int revoke(Connection c, String grantId) throws SQLException {
        Jdbc.update(c, "update grants set revoked = true where grant_id = ?", grantId);
        Jdbc.update(c, "update tokens set revoked = true where grant_id = ? and revoked = false", grantId);
        return Jdbc.update(c, "insert into revoked_jwts (jti, expires_at) select g.jti, g.expires_at from grant_jwts g "
                + "where g.grant_id = ? on conflict do nothing", grantId);
    }

    private static boolean grantRevoked(Connection c, String grantId) throws SQLException {
        try (var ps = c.prepareStatement("select revoked from grants where grant_id = ?")) {
            ps.setString(1, grantId);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }

    @Override
    public boolean isGrantRevoked(String grantId) {
        return jdbc.one("select revoked from grants where grant_id = ?", rs -> rs.getBoolean(1), grantId).orElse(true);
    }

    @Override
    public List<AuthorizationCode> activeGrants(String userId) {
        return jdbc.query("select " + COLUMNS + " from grants where user_id = ? and revoked = false "
                + "order by issued_at desc, grant_id", JdbcCodeStore::map, userId);
    }

    /** Remembers a JWT id of a grant on its own (tests; the token endpoint records it with {@link #issue}). */
    void recordJwt(String grantId, String jti, Instant expiresAt) {
        jdbc.update("insert into grant_jwts (jti, grant_id, expires_at) values (?, ?, ?)", jti, grantId, expiresAt.getEpochSecond());
    }

    @Override
    public int purgeExpired(Instant cutoff) {
        long t = cutoff.getEpochSecond();
        int n = jdbc.deleteInBatches("grant_jwts", "jti", "expires_at < ?", Jdbc.PURGE_BATCH, t);
        return n + jdbc.deleteInBatches("grants", "grant_id", "code_expires_at < ? "
                + "and not exists (select 1 from tokens t where t.grant_id = grants.grant_id) "
                + "and not exists (select 1 from grant_jwts j where j.grant_id = grants.grant_id)", Jdbc.PURGE_BATCH, t);
    }

    private static AuthorizationCode map(ResultSet rs) throws SQLException {
        return new AuthorizationCode(rs.getString("code_hash"), rs.getString("grant_id"), new ClientId(rs.getString("client_id")),
                rs.getString("user_id"), rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_sent"),
                Scope.parse(rs.getString("scope")), Optional.ofNullable(rs.getString("nonce")),
                Optional.ofNullable(rs.getString("code_challenge")), StoredJson.claims(rs.getString("claims_request")),
                Instant.ofEpochSecond(rs.getLong("auth_time")),
                Instant.ofEpochSecond(rs.getLong("issued_at")), Instant.ofEpochSecond(rs.getLong("code_expires_at")));
    }
}
