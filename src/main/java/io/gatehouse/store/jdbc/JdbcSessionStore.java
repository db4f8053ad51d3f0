package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.Session;
import io.gatehouse.core.port.SessionStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Browser sessions in {@code sessions}, by the hash of the cookie value. */
public final class JdbcSessionStore implements SessionStore {
    private static final String DELETE = "delete from sessions where session_hash = ?";

    private final Database db;
    private final Jdbc jdbc;

    public JdbcSessionStore(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void replace(Optional<String> replacedIdHash, Session s) {
        db.write(c -> {
            if (replacedIdHash.isPresent()) Jdbc.update(c, DELETE, replacedIdHash.get());
            return Jdbc.update(c, "insert into sessions (session_hash, user_id, auth_time, expires_at) values (?, ?, ?, ?)",
                    s.idHash(), s.userId(), s.authTime().getEpochSecond(), s.expiresAt().getEpochSecond());
        });
    }

    @Override
    public Optional<Session> find(String idHash) {
        return jdbc.one("select session_hash, user_id, auth_time, expires_at from sessions where session_hash = ?",
                JdbcSessionStore::map, idHash);
    }

    @Override
    public void delete(String idHash) {
        jdbc.update(DELETE, idHash);
    }

    @Override
    public List<Session> listByUser(String userId) {
        return jdbc.query("select session_hash, user_id, auth_time, expires_at from sessions where user_id = ? "
                + "order by auth_time desc, session_hash", JdbcSessionStore::map, userId);
    }

    @Override
    public int deleteByUser(String userId) {
        return jdbc.update("delete from sessions where user_id = ?", userId);
    }

    private static Session map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Session(rs.getString(1), rs.getString(2), Instant.ofEpochSecond(rs.getLong(3)),
                Instant.ofEpochSecond(rs.getLong(4)));
    }

    @Override
    public int purgeExpired(Instant cutoff) {
        return jdbc.deleteInBatches("sessions", "session_hash", "expires_at < ?", Jdbc.PURGE_BATCH,
                cutoff.getEpochSecond());
    }
}
