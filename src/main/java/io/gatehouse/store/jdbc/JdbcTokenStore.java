package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.TokenStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Tokens by hash in {@code tokens}; revoked JWT ids in {@code revoked_jwts}. */
public final class JdbcTokenStore implements TokenStore {
    private static final String INSERT = "insert into tokens (token_hash, kind, client_id, subject, scope, "
            + "issued_at, expires_at, grant_id, revoked) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database db;
    private final Jdbc jdbc;

    public JdbcTokenStore(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    /** Durable when it returns; concurrent saves share one commit (see {@link GroupCommitWriter}). */
    @Override
    public void save(TokenRecord t) {
        db.writeGrouped(c -> insert(c, t));
    }

    static int insert(java.sql.Connection c, TokenRecord t) throws SQLException {
        return Jdbc.update(c, INSERT, t.tokenHash(), t.kind().name(), t.clientId().value(),
                t.subject(), t.scope().asString(), t.issuedAt().getEpochSecond(), t.expiresAt().getEpochSecond(),
                t.grantId().orElse(null), t.revoked());
    }

    @Override
    public Optional<TokenRecord> findByHash(String tokenHash) {
        return jdbc.one("select token_hash, kind, client_id, subject, scope, issued_at, expires_at, grant_id, revoked "
                + "from tokens where token_hash = ?", JdbcTokenStore::map, tokenHash);
    }

    @Override
    public boolean revoke(String tokenHash) {
        return jdbc.update("update tokens set revoked = true where token_hash = ?", tokenHash) == 1;
    }

    @Override
    public int revokeGrant(String grantId) {
        return jdbc.update("update tokens set revoked = true where grant_id = ? and revoked = false", grantId);
    }

    @Override
    public void revokeJwt(String jti, Instant expiresAt) {
        jdbc.update("insert into revoked_jwts (jti, expires_at) values (?, ?) on conflict do nothing", jti, expiresAt.getEpochSecond());
    }

    @Override
    public boolean isJwtRevoked(String jti) {
        return jdbc.one("select 1 from revoked_jwts where jti = ?", rs -> 1, jti).isPresent();
    }

    @Override
    public int purgeExpired(Instant cutoff) {
        long t = cutoff.getEpochSecond();
        return jdbc.deleteInBatches("tokens", "token_hash", "expires_at < ?", Jdbc.PURGE_BATCH, t)
                + jdbc.deleteInBatches("revoked_jwts", "jti", "expires_at < ?", Jdbc.PURGE_BATCH, t);
    }

    static TokenRecord map(ResultSet rs) throws SQLException {
        return new TokenRecord(rs.getString("token_hash"), TokenRecord.Kind.valueOf(rs.getString("kind")),
                new ClientId(rs.getString("client_id")), rs.getString("subject"), Scope.parse(rs.getString("scope")),
                Instant.ofEpochSecond(rs.getLong("issued_at")), Instant.ofEpochSecond(rs.getLong("expires_at")),
                Optional.ofNullable(rs.getString("grant_id")), rs.getBoolean("revoked"));
    }
}
