package io.gatehouse.store.jdbc;

import io.gatehouse.core.port.StoreUnavailableException;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tiny JDBC helper: parameter binding, row mapping, reads on the read pool, writes through {@link Database#write},
 * and the one place that decides what a database error means ({@link #failure}).
 */
final class Jdbc {
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A database failure that retrying will not fix; the message names the operation, never the values. */
    static final class StoreException extends RuntimeException {
        StoreException(String op, SQLException cause) {
            super("database error during " + op, cause);
        }
    }

    /** Seconds a client is asked to wait when the database is unavailable. */
    static final long RETRY_AFTER_SECONDS = 2;

    /** Rows deleted per statement by {@link #deleteInBatches}. */
    static final int PURGE_BATCH = 1000;

    private final Database db;

    Jdbc(Database db) {
        this.db = db;
    }

    /** One statement, durable when it returns. @return the update count */
    int update(String sql, Object... args) {
        return db.write(c -> update(c, sql, args));
    }

    /** One statement as a deferred write ({@link Database#writeDeferred}): committed with the caller's next write. */
    void updateDeferred(String sql, Object... args) {
        db.writeDeferred(c -> update(c, sql, args));
    }

    /** One statement inside a unit of work. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /**
     * Deletes the rows of {@code table} matching {@code where} in statements of at most {@code batch} rows, each its
     * own transaction, so a large backlog never holds the write lock (or many row locks) long. {@code where} may
     * refer to {@code table} by its name. Idempotent: several nodes may run it concurrently.
     *
     * @return how many rows were deleted
     */
    int deleteInBatches(String table, String key, String where, int batch, Object... args) {
        String sql = "delete from " + table + " where " + key + " in (select " + key + " from " + table + " where "
                + where + " limit ?)";
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = batch;
        int total = 0;
        while (true) {
            int n = update(sql, all);
            total += n;
            if (n < batch) break;
        }
        if (total > 0) db.reclaimFreeSpace();
        return total;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = db.reads().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw failure(op(sql), e);
        }
    }

    <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * What a database error means for the caller: {@link StoreUnavailableException} (503, retry later) when the
     * database is down, unreachable, locked, full or out of resources; else {@link StoreException} (500).
     */
    static RuntimeException failure(String op, SQLException e) {
        return unavailable(e)
                ? new StoreUnavailableException("database unavailable during " + op + reason(e), RETRY_AFTER_SECONDS, e)
                : new StoreException(op, e);
    }

    /**
     * Why the database is unavailable, for the log and the CLI's message: a fixed text by error code, never the
     * driver's message (which may quote values). SQLite reports a full disk as SQLITE_FULL, or as an I/O error when
     * the full disk hit its shared-memory file (SQLITE_IOERR_SHMSIZE).
     */
    static String reason(SQLException e) {
        if (e instanceof SQLiteException s) {
            return switch (s.getResultCode().code & 0xff) {
                case 13 -> ": the disk is full (" + s.getResultCode().name() + ")";
                case 10 -> ": disk I/O error, is the disk full? (" + s.getResultCode().name() + ")";
                case 5, 6 -> ": the database is locked (" + s.getResultCode().name() + ")";
                default -> " (" + s.getResultCode().name() + ")";
            };
        }
        if ("53100".equals(e.getSQLState())) return ": the database server's disk is full (SQLState 53100)";
        return e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    }

    static boolean unavailable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return true;
        if (e instanceof SQLiteException s) {
            return switch (s.getResultCode().code & 0xff) {
                // BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL
                case 5, 6, 7, 8, 10, 13, 14, 15 -> true;
                default -> false;
            };
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // PostgreSQL: connection exception, insufficient resources (disk full, too many connections), operator
        // intervention (shutdown, cannot connect now)
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }

    /** A unique or primary key violation (SQLite or PostgreSQL). */
    static boolean uniqueViolation(SQLException e) {
        if (e instanceof SQLiteException s) {
            return switch (s.getResultCode()) {
                case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> true;
                default -> false;
            };
        }
        return "23505".equals(e.getSQLState());
    }

    static String op(String sql) {
        String s = sql.strip();
        return s.substring(0, Math.min(s.length(), 40));
    }
}
