package io.gatehouse.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients and users {@code serve --demo} registered (column {@code demo}, set when it inserted them): their
 * secrets are published in the docs, so a start without {@code --demo} deletes them again.
 */
public final class JdbcDemoData {
    private static final String DEMO_CLIENTS = "select client_id from clients where demo = true";
    private static final String DEMO_USERS = "select user_id from users where demo = true";

    private final Database db;

    public JdbcDemoData(Database db) {
        this.db = db;
    }

    /**
     * Deletes every demo client and user in one transaction, with what would let them or a holder of their tokens
     * in: their refresh and opaque access tokens, their grants (revoked, so that the JWTs issued under them are
     * deny-listed until they expire), consents and sessions. A JWT access token a demo client got by
     * client_credentials is tied to no grant and stays valid until it expires, as after {@code client remove}.
     *
     * @return what was deleted, e.g. {@code client coupang}, {@code user demo}; empty when there was nothing
     */
    public List<String> removeAll() {
        return db.write(c -> {
            List<String> removed = new ArrayList<>();
            for (String id : strings(c, "select client_id from clients where demo = true order by client_id")) {
                removed.add("client " + id);
            }
            for (String name : strings(c, "select username from users where demo = true order by username")) {
                removed.add("user " + name);
            }
            if (removed.isEmpty()) return removed;
            String grants = "select grant_id from grants where client_id in (" + DEMO_CLIENTS + ") or user_id in ("
                    + DEMO_USERS + ")";
            Jdbc.update(c, "insert into revoked_jwts (jti, expires_at) select g.jti, g.expires_at from grant_jwts g "
                    + "where g.grant_id in (" + grants + ") on conflict do nothing");
            Jdbc.update(c, "update grants set revoked = true where grant_id in (" + grants + ")");
            Jdbc.update(c, "delete from tokens where client_id in (" + DEMO_CLIENTS + ") or subject in (" + DEMO_USERS + ")");
            Jdbc.update(c, "delete from consents where client_id in (" + DEMO_CLIENTS + ") or user_id in (" + DEMO_USERS + ")");
            Jdbc.update(c, "delete from sessions where user_id in (" + DEMO_USERS + ")");
            Jdbc.update(c, "delete from clients where demo = true");
            Jdbc.update(c, "delete from users where demo = true");
            return removed;
        });
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }
}
