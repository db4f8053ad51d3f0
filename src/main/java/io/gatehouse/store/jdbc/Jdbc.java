package io.gatehouse.store.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tiny JDBC helper: parameter binding, row mapping, SQLExceptions as unchecked. */
final class Jdbc {
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A database failure; the message names the operation, never the values. */
    static final class StoreException extends RuntimeException {
        StoreException(String op, SQLException cause) {
            super("database error during " + op, cause);
        }
    }

    private final DataSource ds;

    Jdbc(DataSource ds) {
        this.ds = ds;
    }

    int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(op(sql), e);
        }
    }

    /** Rows deleted per statement by {@link #deleteInBatches}. */
    static final int PURGE_BATCH = 1000;

    /**
     * Deletes the rows of {@code table} matching {@code where} in statements of at most {@code batch} rows, each
     * its own transaction, so a large backlog never holds many row locks (or one long transaction) at once.
     * {@code where} may refer to {@code table} by its name. Idempotent: several nodes may run it concurrently.
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
            if (n < batch) return total;
        }
    }

    /** An insert that may hit a unique key; @return false on a duplicate. */
    boolean insertUnique(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if ("23505".equals(state) || "23001".equals(state)) return false;
            throw new StoreException(op(sql), e);
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException(op(sql), e);
        }
    }

    <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static String op(String sql) {
        String s = sql.strip();
        int sp = s.indexOf(' ', s.indexOf(' ') + 1);
        return sp < 0 ? s : s.substring(0, Math.min(s.length(), 40));
    }
}
