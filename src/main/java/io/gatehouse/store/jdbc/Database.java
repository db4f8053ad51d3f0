package io.gatehouse.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens the database: a pooled DataSource (HikariCP) with the schema migrated by Flyway, from
 * {@code db/h2} or {@code db/postgresql} depending on the JDBC URL.
 */
public final class Database implements AutoCloseable {
    /**
     * The highest migration version in db/h2 and db/postgresql. When the database already records it as applied,
     * Flyway is not run at all (its classpath scan and validation cost a quarter of a second of every start).
     * DatabaseOpenTest fails when a migration is added without raising this.
     */
    static final int SCHEMA_VERSION = 3;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
    public enum Vendor { H2, POSTGRESQL }

    private final HikariDataSource dataSource;
    private final Vendor vendor;
    private final H2Maintenance maintenance;

    private Database(HikariDataSource dataSource, Vendor vendor, H2Maintenance maintenance) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.maintenance = maintenance;
    }

    /**
     * The embedded default: an H2 file in {@code dataDir}. AUTO_SERVER lets the CLI use the same file
     * while the server runs; WRITE_DELAY=0 writes every commit to the file before the commit returns, so an
     * acknowledged write survives the process being killed. (H2's default keeps commits in memory for up to
     * 500 ms and writes them from a background thread: KillDurabilityTest loses tokens, clients and revocations
     * without this setting. H2 does not fsync per commit; see docs/storage.md.) That setting also stops H2's own
     * space housekeeping, which {@link H2Maintenance} does instead. RETENTION_TIME stays at H2's 45 s: freed
     * space is reused only after it, and a shorter one lost acknowledged commits on SIGKILL in KillDurabilityTest.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("gatehouse")
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;CACHE_SIZE=8192";
    }

    public static Database open(String url, String user, String password, int poolSize) {
        Vendor vendor = url.startsWith("jdbc:postgresql:") ? Vendor.POSTGRESQL
                : url.startsWith("jdbc:h2:") ? Vendor.H2 : null;
        if (vendor == null) {
            throw new IllegalArgumentException("unsupported database URL (use jdbc:h2:... or jdbc:postgresql:...)");
        }
        if (vendor == Vendor.POSTGRESQL) failFast(url, user, password);
        // AUTO_SERVER opens a TCP port so that the CLI can reach a running server's database; H2 would listen on
        // every interface. Read once, when H2 first loads: this is normally its first use in the process.
        if (vendor == Vendor.H2 && System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        long t0 = System.nanoTime();
        HikariDataSource ds = pool(url, user, password, poolSize, "gatehouse");
        LOG.debug("connection pool ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        // Flyway migrates over a pool of its own: it holds one connection for its lock and opens a second to
        // migrate, which would wait forever on a pool of one (db-pool-size 1). A pool, not Flyway's own driver
        // connections, so that no error message can carry the URL (and a password in it).
        if (schemaIsCurrent(ds)) {
            LOG.debug("schema is at version {}: no migration needed", SCHEMA_VERSION);
            return new Database(ds, vendor, url.startsWith("jdbc:h2:file:") ? H2Maintenance.start(ds) : null);
        }
        try (HikariDataSource migrations = pool(url, user, password, 2, "gatehouse-migrate")) {
            Flyway.configure().dataSource(migrations)
                    .locations(vendor == Vendor.H2 ? "classpath:db/h2" : "classpath:db/postgresql")
                    .loggers("slf4j")
                    .load().migrate();
            LOG.debug("schema migrated in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, vendor, url.startsWith("jdbc:h2:file:") ? H2Maintenance.start(ds) : null);
    }

    /** True when every migration up to {@link #SCHEMA_VERSION} is recorded as applied, and none failed. */
    static boolean schemaIsCurrent(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            try (var tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) return false;  // a new database (asked this way, H2 writes no trace file)
            }
            try (var rs = c.createStatement().executeQuery("select count(*), sum(case when \"success\" then 0 else 1 end) "
                    + "from \"flyway_schema_history\" where \"version\" is not null")) {
                return rs.next() && rs.getInt(1) == SCHEMA_VERSION && rs.getInt(2) == 0
                        && versionApplied(c, SCHEMA_VERSION);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean versionApplied(Connection c, int version) throws SQLException {
        try (var ps = c.prepareStatement("select 1 from \"flyway_schema_history\" where \"version\" = ? and \"success\"")) {
            ps.setString(1, Integer.toString(version));
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
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

    private static HikariDataSource pool(String url, String user, String password, int size, String name) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(Math.min(2, size));
        cfg.setPoolName(name);
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(10_000);
        return new HikariDataSource(cfg);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Vendor vendor() {
        return vendor;
    }

    @Override
    public void close() {
        if (maintenance != null) maintenance.close();
        dataSource.close();
    }
}
