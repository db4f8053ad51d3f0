package io.gatehouse.store.jdbc;

import io.gatehouse.core.port.AttemptCounters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Failed-attempt windows in {@code auth_failures} (V5). A failure is one {@code INSERT ... ON CONFLICT DO UPDATE ...
 * RETURNING} for all of an attempt's keys (SQLite and PostgreSQL alike), its rows in key order so that concurrent
 * upserts on PostgreSQL take their row locks in the same order and cannot deadlock. Times are epoch seconds; a window
 * whose end is not after the failure's time starts again.
 */
public final class JdbcAttemptCounters implements AttemptCounters {
    private final Database db;
    private final Jdbc jdbc;

    public JdbcAttemptCounters(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    @Override
    public List<Window> find(Collection<String> keys, Instant now) {
        if (keys.isEmpty()) return List.of();
        List<Object> args = new ArrayList<>(keys);
        args.add(now.getEpochSecond());
        return jdbc.query("select key_hash, window_start, expires_at, failures from auth_failures where key_hash in ("
                + marks(keys.size()) + ") and expires_at > ?", JdbcAttemptCounters::window, args.toArray());
    }

    @Override
    public List<Window> recordFailure(List<String> keys, Instant now, Duration window) {
        if (keys.isEmpty()) return List.of();
        List<String> sorted = keys.stream().sorted().toList();
        long start = now.getEpochSecond();
        long end = now.plus(window).getEpochSecond();
        StringBuilder sql = new StringBuilder("insert into auth_failures (key_hash, window_start, failures, expires_at) values ");
        for (int i = 0; i < sorted.size(); i++) sql.append(i == 0 ? "" : ", ").append("(?, ?, 1, ?)");
        // Every SET expression sees the row as it was (both databases), so the window test reads the old expires_at.
        sql.append(" on conflict (key_hash) do update set ")
                .append("failures = case when auth_failures.expires_at <= excluded.window_start then 1 ")
                .append("else auth_failures.failures + 1 end, ")
                .append("window_start = case when auth_failures.expires_at <= excluded.window_start ")
                .append("then excluded.window_start else auth_failures.window_start end, ")
                .append("expires_at = case when auth_failures.expires_at <= excluded.window_start ")
                .append("then excluded.expires_at else auth_failures.expires_at end ")
                .append("returning key_hash, window_start, expires_at, failures");
        Object[] args = new Object[sorted.size() * 3];
        for (int i = 0; i < sorted.size(); i++) {
            args[3 * i] = sorted.get(i);
            args[3 * i + 1] = start;
            args[3 * i + 2] = end;
        }
        return db.write(c -> upsert(c, sql.toString(), args));
    }

    private static List<Window> upsert(Connection c, String sql, Object[] args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Window> out = new ArrayList<>();
                while (rs.next()) out.add(window(rs));
                return out;
            }
        }
    }

    @Override
    public int purgeExpired(Instant cutoff) {
        return jdbc.deleteInBatches("auth_failures", "key_hash", "expires_at < ?", Jdbc.PURGE_BATCH, cutoff.getEpochSecond());
    }

    private static Window window(ResultSet rs) throws SQLException {
        return new Window(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)), Instant.ofEpochSecond(rs.getLong(3)),
                rs.getInt(4));
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
