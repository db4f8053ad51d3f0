package io.gatehouse.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gatehouse.core.port.StoreUnavailableException;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The database: the embedded SQLite file (default) or PostgreSQL (several nodes). Reads go to a pool; writes go
 * through {@link #write}. On SQLite every write goes to one writer connection fed by a {@link GroupCommitWriter}
 * (SQLite has one writer at a time; concurrent writes share one durable commit); on PostgreSQL writes run on pooled
 * connections, and only the hot inserts ({@link #writeGrouped}) share commits. The schema is migrated by Flyway
 * from {@code db/migration} and {@link #JAVA_MIGRATIONS}, one set of migrations for both databases.
 */
public final class Database implements AutoCloseable {
    /**
     * The highest migration version in db/migration. When the database records it as applied, Flyway is not run at
     * all (its classpath scan and validation cost a quarter of a second of every start). DatabaseOpenTest fails when
     * a migration is added without raising this.
     */
    static final int SCHEMA_VERSION = 9;
    /**
     * Migrations written in Java, for data changes SQLite and PostgreSQL have no common SQL for; the others are the
     * SQL files in db/migration.
     */
    static final List<org.flywaydb.core.api.migration.JavaMigration> JAVA_MIGRATIONS = List.of(new V7StructuredAddress());
    /** SQLite's application_id of a Gatehouse database ("GHSE"): a foreign SQLite file is refused, never changed. */
    static final int APPLICATION_ID = 0x47485345;
    static final int BUSY_TIMEOUT_MS = 5_000;
    /** Pages {@link #reclaimFreeSpace} gives back per write (4 MiB at the default page size). */
    static final int RECLAIM_STEP = 1024;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

    public enum Vendor { SQLITE, POSTGRESQL }

    /** Who opens the database: the server holds the data directory's lock; CLI commands share the file. */
    public enum Role { SERVER, CLI }

    /** A unit of work on one connection, run in a transaction of its own or shared with others. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Vendor vendor;
    private final HikariDataSource reads;
    private final HikariDataSource writes;  // SQLite: the one writer connection; PostgreSQL: same as reads
    private final GroupCommitWriter writer;
    private final AutoCloseable serverLock;  // null unless a server on SQLite
    private final String description;

    private Database(Vendor vendor, HikariDataSource reads, HikariDataSource writes, GroupCommitWriter writer,
                     AutoCloseable serverLock, String description) {
        this.vendor = vendor;
        this.reads = reads;
        this.writes = writes;
        this.writer = writer;
        this.serverLock = serverLock;
        this.description = description;
    }

    /** Opens the database the settings name; on SQLite, a server also takes the data directory's lock. */
    public static Database open(DatabaseSettings s, Role role) {
        return s.url().isPresent() ? openPostgres(s) : Sqlite.open(s, role);
    }

    static Database openPostgres(DatabaseSettings s) {
        String url = s.url().orElseThrow();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("unsupported database URL: use jdbc:postgresql://... for PostgreSQL, or "
                    + "leave db-url unset for the embedded database in the data directory");
        }
        failFast(url, s.user().orElse(null), s.password().orElse(null));
        long t0 = System.nanoTime();
        HikariDataSource ds = pool(url, s.user(), s.password(), s.poolSize(), "gatehouse", new Properties(), null);
        try {
            migrate(ds, () -> pool(url, s.user(), s.password(), 2, "gatehouse-migrate", new Properties(), null));
            LOG.debug("PostgreSQL ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return new Database(Vendor.POSTGRESQL, ds, ds,
                    new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "pg"), null,
                    "PostgreSQL at " + DatabaseSettings.redact(url));
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** Package-private constructor access for {@link Sqlite}. */
    static Database sqlite(HikariDataSource reads, HikariDataSource writes, AutoCloseable serverLock, String description) {
        return new Database(Vendor.SQLITE, reads, writes,
                new GroupCommitWriter(writes, GroupCommitWriter.Transactions.SQLITE_IMMEDIATE, "sqlite"), serverLock,
                description);
    }

    /**
     * Runs {@code work} in a transaction and returns once it is committed (durable at the configured level).
     * Database errors become {@link StoreUnavailableException} (retry later) or {@link Jdbc.StoreException}.
     */
    public <T> T write(Work<T> work) {
        if (vendor == Vendor.SQLITE) return writer.submit(work);
        try (Connection c = writes.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                // When the connection is gone (database down), rollback fails too ("Connection is closed", no
                // SQLState): what the caller gets, and what decides between 503 and 500, is the original error.
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            c.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw Jdbc.failure("write", e);
        }
    }

    /** Like {@link #write}, but concurrent callers share one commit on every database (for hot inserts). */
    public <T> T writeGrouped(Work<T> work) {
        return writer.submit(work);
    }

    /**
     * A write nobody waits for now, made durable by the caller's next {@link #write}: on SQLite it is queued ahead of
     * that write and commits with it (one durable commit for both, this one first); alone within 50 ms when no write
     * follows, and at close. A failure is logged (there is no caller to tell). On PostgreSQL, where writes do not share
     * one queue, it is written at once, like {@link #write}.
     *
     * @throws StoreUnavailableException when too many writes are waiting (not written)
     */
    public void writeDeferred(Work<?> work) {
        if (vendor == Vendor.SQLITE) {
            writer.submitDeferred(work);
        } else {
            write(work);
        }
    }

    /** Gives the space of deleted rows back to the file system (SQLite incremental vacuum; nothing on PostgreSQL). */
    void reclaimFreeSpace() {
        if (vendor != Vendor.SQLITE) return;
        // In steps of at most RECLAIM_STEP pages, each its own short write, so that token requests are never held up
        // for long. "pragma incremental_vacuum" frees one page per step of the statement (it returns a row per page),
        // and JDBC's execute() steps once: so it is executed once per page, on one prepared statement, within a write.
        long before = Long.MAX_VALUE;
        while (true) {
            long free = write(c -> {
                long pages = freelistCount(c);
                try (PreparedStatement step = c.prepareStatement("pragma incremental_vacuum")) {
                    for (long i = 0; i < Math.min(pages, RECLAIM_STEP); i++) step.execute();
                }  // closed (reset) before the commit: a statement still in progress would make the commit fail
                return freelistCount(c);
            });
            if (free == 0 || free >= before) return;  // done, or not an incremental-vacuum file
            before = free;
        }
    }

    /**
     * On SQLite: rebuilds the database file ({@code VACUUM}) and truncates the write-ahead log to zero bytes, so that
     * values overwritten earlier (signing keys stored in plain form, then sealed; keys sealed under a KEK that was
     * replaced) no longer linger in the file's free space or in old log frames. It takes as long as copying the
     * database, and is for the rare moments that need it: the first start that seals plain keys, {@code keys rewrap}.
     * Best effort: a failure (say, no space for the copy) is logged and changes nothing. Nothing on PostgreSQL.
     *
     * @return false when the file could not be rebuilt (logged)
     */
    public boolean rewriteFile() {
        if (vendor != Vendor.SQLITE) return true;
        long t0 = System.nanoTime();
        try (Connection c = writes.getConnection(); Statement st = c.createStatement()) {
            st.execute("vacuum");
            try (var rs = st.executeQuery("pragma wal_checkpoint(TRUNCATE)")) {
                if (rs.next() && rs.getInt(1) != 0) {
                    LOG.info("the write-ahead log is truncated at a later checkpoint (a reader holds an older snapshot)");
                }
            }
            LOG.debug("database file rebuilt in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (SQLException e) {
            LOG.warn("could not rebuild the database file ({}): values overwritten just now may remain in its free space; "
                    + "to remove them, stop Gatehouse and run `sqlite3 {} vacuum`", e.getMessage(),
                    writes.getJdbcUrl().substring("jdbc:sqlite:".length()));
            return false;
        }
    }

    private static long freelistCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("pragma freelist_count")) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** The pool for reads (on SQLite its connections are read-only: every write goes through {@link #write}). */
    public DataSource reads() {
        return reads;
    }

    public Vendor vendor() {
        return vendor;
    }

    /** What the start-up log says: the database, its file or redacted URL, and the durability level. */
    public String description() {
        return description;
    }

    /** True when the newest migration recorded as applied is {@link #SCHEMA_VERSION}, and none failed. */
    static boolean schemaIsCurrent(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            Optional<Integer> newest = appliedVersion(c);
            if (newest.isEmpty()) return false;
            if (newest.get() > SCHEMA_VERSION) {
                throw new IllegalStateException("the database schema is at version " + newest.get()
                        + ", newer than this Gatehouse knows (" + SCHEMA_VERSION + "): run a newer Gatehouse, "
                        + "or restore a backup taken with this version");
            }
            // The newest version, not the count: version numbers may have gaps (parallel branches reserve theirs).
            if (newest.get() != SCHEMA_VERSION) return false;
            try (var rs = c.createStatement().executeQuery("select count(*) from \"flyway_schema_history\" "
                    + "where \"version\" is not null and not \"success\"")) {
                return rs.next() && rs.getInt(1) == 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** The highest migration version recorded, or empty for a database without Flyway's history table. */
    static Optional<Integer> appliedVersion(Connection c) throws SQLException {
        try (var tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
            if (!tables.next()) return Optional.empty();
        }
        try (var rs = c.createStatement().executeQuery("select \"version\" from \"flyway_schema_history\" "
                + "where \"version\" is not null and \"success\"")) {
            int max = 0;
            while (rs.next()) max = Math.max(max, Integer.parseInt(rs.getString(1)));
            return Optional.of(max);
        }
    }

    /**
     * Brings the schema up to date unless it is current. Flyway migrates over a pool of its own: it holds one
     * connection for its lock and opens a second to migrate, which would wait forever on a pool of one. A pool, not
     * Flyway's own driver connections, so that no error message can carry the URL (and a password in it).
     */
    static void migrate(DataSource ds, java.util.function.Supplier<HikariDataSource> migrationPool) {
        if (schemaIsCurrent(ds)) {
            LOG.debug("schema is at version {}: no migration needed", SCHEMA_VERSION);
            return;
        }
        long t0 = System.nanoTime();
        try (HikariDataSource migrations = migrationPool.get()) {
            Flyway.configure().dataSource(migrations)
                    .locations("classpath:db/migration")
                    .javaMigrations(JAVA_MIGRATIONS.toArray(org.flywaydb.core.api.migration.JavaMigration[]::new))
                    .loggers("slf4j")
                    .load().migrate();
        }
        LOG.debug("schema migrated in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * One plain connection first, so that what waiting cannot fix (wrong user or password, no such database) fails
     * at once; anything else (say, the server is still starting) is left to the pool, which retries for 10 s.
     */
    private static void failFast(String url, String user, String password) {
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.isValid(1);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28") || state.equals("3D000")) {
                throw new IllegalStateException("cannot connect to the database: " + e.getMessage());
            }
        }
    }

    /**
     * A HikariCP pool. A request waits at most 3 s for a connection (then 503), so that a database that is down
     * answers quickly; the pool reconnects by itself once it is back.
     */
    static HikariDataSource pool(String url, Optional<String> user, Optional<String> password, int size, String name,
                                 Properties driverProperties, String initSql) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        user.ifPresent(cfg::setUsername);
        password.ifPresent(cfg::setPassword);
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(Math.min(1, size));
        cfg.setPoolName(name);
        cfg.setConnectionTimeout(3_000);
        cfg.setValidationTimeout(1_000);
        cfg.setInitializationFailTimeout(10_000);
        cfg.setDataSourceProperties(driverProperties);
        if (initSql != null) cfg.setConnectionInitSql(initSql);
        if (url.startsWith("jdbc:postgresql:")) {
            // Fail a connection attempt or a hung socket in bounded time instead of waiting for the OS.
            cfg.addDataSourceProperty("connectTimeout", "3");
            cfg.addDataSourceProperty("loginTimeout", "3");
            cfg.addDataSourceProperty("socketTimeout", "60");
            cfg.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return new HikariDataSource(cfg);
    }

    /** The SQLite driver settings every connection to the embedded file uses. */
    static SQLiteConfig sqliteConfig(Durability durability) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout(BUSY_TIMEOUT_MS);
        c.enforceForeignKeys(true);
        c.setCacheSize(-2048);  // KiB per connection
        c.setJournalSizeLimit(64 * 1024 * 1024);
        return c;
    }

    static SQLiteDataSource sqliteDataSource(String url, Durability durability) {
        SQLiteDataSource ds = new SQLiteDataSource(sqliteConfig(durability));
        ds.setUrl(url);
        return ds;
    }

    @Override
    public void close() {
        writer.close();
        if (writes != reads) writes.close();
        reads.close();
        if (serverLock != null) {
            try {
                serverLock.close();
            } catch (Exception e) {
                LOG.debug("releasing the server lock failed", e);
            }
        }
    }
}
