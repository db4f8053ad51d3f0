package io.gatehouse.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * Opens the database: a pooled DataSource (HikariCP) with the schema migrated by Flyway, from
 * {@code db/h2} or {@code db/postgresql} depending on the JDBC URL.
 */
public final class Database implements AutoCloseable {
    public enum Vendor { H2, POSTGRESQL }

    private final HikariDataSource dataSource;
    private final Vendor vendor;

    private Database(HikariDataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
    }

    /**
     * The embedded default: an H2 file in {@code dataDir}. AUTO_SERVER lets the CLI use the same file
     * while the server runs; WRITE_DELAY=0 writes every commit to the file before the commit returns, so an
     * acknowledged write survives the process being killed.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("gatehouse")
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    public static Database open(String url, String user, String password, int poolSize) {
        Vendor vendor = url.startsWith("jdbc:postgresql:") ? Vendor.POSTGRESQL
                : url.startsWith("jdbc:h2:") ? Vendor.H2 : null;
        if (vendor == null) {
            throw new IllegalArgumentException("unsupported database URL (use jdbc:h2:... or jdbc:postgresql:...)");
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(Math.min(2, poolSize));
        cfg.setPoolName("gatehouse");
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            // Flyway gets its own connections: on PostgreSQL it holds one for its lock and opens a second to
            // migrate, which would wait forever on a pool of one (db-pool-size 1).
            Flyway.configure().dataSource(url, user, password)
                    .locations(vendor == Vendor.H2 ? "classpath:db/h2" : "classpath:db/postgresql")
                    .loggers("slf4j")
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, vendor);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Vendor vendor() {
        return vendor;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
