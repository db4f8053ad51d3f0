package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.Session;
import io.gatehouse.core.port.SessionStore;

import java.time.Instant;
import java.util.Optional;

/** Browser sessions in {@code sessions}, by the hash of the cookie value. */
public final class JdbcSessionStore implements SessionStore {
    private final Jdbc jdbc;

    public JdbcSessionStore(Database db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void save(Session s) {
        jdbc.update("insert into sessions (session_hash, user_id, auth_time, expires_at) values (?, ?, ?, ?)",
                s.idHash(), s.userId(), s.authTime().getEpochSecond(), s.expiresAt().getEpochSecond());
    }

    @Override
    public Optional<Session> find(String idHash) {
        return jdbc.one("select session_hash, user_id, auth_time, expires_at from sessions where session_hash = ?",
                rs -> new Session(rs.getString(1), rs.getString(2), Instant.ofEpochSecond(rs.getLong(3)),
                        Instant.ofEpochSecond(rs.getLong(4))), idHash);
    }

    @Override
    public void delete(String idHash) {
        jdbc.update("delete from sessions where session_hash = ?", idHash);
    }

    @Override
    public int purgeExpired(Instant cutoff) {
        return jdbc.deleteInBatches("sessions", "session_hash", "expires_at < ?", Jdbc.PURGE_BATCH,
                cutoff.getEpochSecond());
    }
}
