package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.AuditEvent;
import io.gatehouse.core.port.AuditEventStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Audit events in {@code audit_events}, newest first by their time-ordered id. */
public final class JdbcAuditEventStore implements AuditEventStore {
    private static final String COLUMNS = "event_id, occurred_at, event_type, actor, subject, detail";
    private static final String INSERT = "insert into audit_events (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?) "
            + "on conflict do nothing";

    private final Jdbc jdbc;

    public JdbcAuditEventStore(Database db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void append(AuditEvent e) {
        jdbc.update(INSERT, values(e));
    }

    /** Queued on SQLite; committed with the session the sign-in writes next (written at once on PostgreSQL). */
    @Override
    public void appendDeferred(AuditEvent e) {
        jdbc.updateDeferred(INSERT, values(e));
    }

    private static Object[] values(AuditEvent e) {
        return new Object[] {e.id(), e.time().toEpochMilli(), e.type().wireName(), e.actor().orElse(null),
                e.subject().orElse(null), e.detail()};
    }

    @Override
    public List<AuditEvent> list(Query q) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        q.since().ifPresent(t -> { where.append(" and occurred_at >= ?"); args.add(t.toEpochMilli()); });
        q.until().ifPresent(t -> { where.append(" and occurred_at < ?"); args.add(t.toEpochMilli()); });
        q.type().ifPresent(t -> { where.append(" and event_type = ?"); args.add(t.wireName()); });
        q.actor().ifPresent(a -> { where.append(" and actor = ?"); args.add(a); });
        q.before().ifPresent(b -> { where.append(" and event_id < ?"); args.add(b); });
        args.add(q.limit());
        return jdbc.query("select " + COLUMNS + " from audit_events" + where + " order by event_id desc limit ?",
                JdbcAuditEventStore::map, args.toArray());
    }

    @Override
    public int purge(Instant cutoff, int keep) {
        int n = jdbc.deleteInBatches("audit_events", "event_id", "occurred_at < ?", Jdbc.PURGE_BATCH, cutoff.toEpochMilli());
        Optional<String> oldestKept = jdbc.one("select event_id from audit_events order by event_id desc limit 1 offset ?",
                rs -> rs.getString(1), keep - 1);
        if (oldestKept.isPresent()) {
            n += jdbc.deleteInBatches("audit_events", "event_id", "event_id < ?", Jdbc.PURGE_BATCH, oldestKept.get());
        }
        return n;
    }

    private static AuditEvent map(ResultSet rs) throws SQLException {
        String type = rs.getString("event_type");
        return new AuditEvent(rs.getString("event_id"), Instant.ofEpochMilli(rs.getLong("occurred_at")),
                AuditEvent.Type.fromWire(type).orElseThrow(() -> new SQLException("unknown audit event type in the table")),
                Optional.ofNullable(rs.getString("actor")), Optional.ofNullable(rs.getString("subject")),
                rs.getString("detail"));
    }
}
