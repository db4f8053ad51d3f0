package io.gatehouse.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens the embedded database: {@code DATA/gatehouse.db}, SQLite in WAL mode with fsync at commit by default.
 * A new file is marked as Gatehouse's (application_id) and set up for incremental vacuum before its first table;
 * a file that is not an SQLite database, or is another application's, is refused and left untouched.
 */
final class Sqlite {
    private Sqlite() {
    }

    static Database open(DatabaseSettings s, Database.Role role) {
        DataDirectory dir = new DataDirectory(s.dataDir());
        dir.prepare(s.allowInsecurePermissions());
        AutoCloseable lock = role == Database.Role.SERVER ? dir.lockForServer() : null;
        HikariDataSource writes = null;
        HikariDataSource reads = null;
        try {
            String url = "jdbc:sqlite:" + dir.database();
            if (!initialized(dir, url, s.durability())) {
                dir.whileMigrating(() -> initialize(dir, url, s.durability()));
            }
            Properties props = Database.sqliteConfig(s.durability()).toProperties();
            writes = Database.pool(url, Optional.empty(), Optional.empty(), 1, "gatehouse-write", props, null);
            reads = Database.pool(url, Optional.empty(), Optional.empty(), s.poolSize(), "gatehouse-read", props,
                    "pragma query_only = 1");
            if (!Database.schemaIsCurrent(reads)) {
                dir.whileMigrating(() -> {
                    Database.migrate(Database.sqliteDataSource(url, s.durability()),
                            () -> Database.pool(url, Optional.empty(), Optional.empty(), 2, "gatehouse-migrate", props, null));
                    return null;
                });
            }
            return Database.sqlite(reads, writes, lock, "SQLite " + version(reads) + " at " + dir.database()
                    + ", durability " + s.durability().configName()
                    + (s.durability() == Durability.FULL ? " (fsync at every commit)" : " (survives process death, not power loss)"));
        } catch (RuntimeException e) {
            if (reads != null) reads.close();
            if (writes != null) writes.close();
            closeQuietly(lock);
            throw e;
        }
    }

    /** @return true when the file is already a Gatehouse database */
    private static boolean initialized(DataDirectory dir, String url, Durability durability) {
        try (Connection c = connect(url)) {
            return applicationId(c) == Database.APPLICATION_ID;
        } catch (SQLException e) {
            throw notADatabase(dir, e);
        }
    }

    /** Marks a new (empty) file as Gatehouse's; refuses anything else. */
    private static Boolean initialize(DataDirectory dir, String url, Durability durability) {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            int id = applicationId(c);
            if (id == Database.APPLICATION_ID) return true;
            try (var rs = st.executeQuery("select count(*) from sqlite_master")) {
                rs.next();
                if (id != 0 || rs.getInt(1) != 0) {
                    throw new DataDirectory.Refused(dir.database() + " is not a Gatehouse database (it belongs to another "
                            + "application); it was left untouched. Use another --data directory, or move the file away");
                }
            }
            // Before the first table: freed pages can then be given back to the file system (see reclaimFreeSpace).
            st.execute("pragma auto_vacuum = incremental");
            st.execute("vacuum");
            st.execute("pragma application_id = " + Database.APPLICATION_ID);
            st.execute("pragma journal_mode = wal");
            return true;
        } catch (SQLException e) {
            throw notADatabase(dir, e);
        }
    }

    /** A connection that changes nothing about the file (no journal mode set) until it is known to be ours. */
    private static Connection connect(String url) throws SQLException {
        SQLiteConfig plain = new SQLiteConfig();
        plain.setBusyTimeout(Database.BUSY_TIMEOUT_MS);
        return plain.createConnection(url);
    }

    private static int applicationId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("pragma application_id")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static RuntimeException notADatabase(DataDirectory dir, SQLException e) {
        if (Jdbc.unavailable(e) && !(e.getMessage() != null && e.getMessage().contains("NOTADB"))) {
            return new DataDirectory.Refused("cannot open " + dir.database() + ": " + e.getMessage() + dir.spaceProblem());
        }
        return new DataDirectory.Refused(dir.database() + " is not a usable SQLite database (" + e.getMessage()
                + "); it was left untouched. Restore a backup (./gatehouse restore FILE) or move the file away");
    }

    private static String version(HikariDataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing more to do
        }
    }

}
