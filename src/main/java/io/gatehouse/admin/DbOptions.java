package io.gatehouse.admin;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The database options every admin command shares; the same resolution as `serve`. */
public final class DbOptions {
    @Option(names = "--data", description = "Data directory of the embedded database (default ./data; env GATEHOUSE_DATA).")
    Path data;
    @Option(names = "--db-url", description = "PostgreSQL JDBC URL instead of the embedded database (env GATEHOUSE_DB_URL).")
    String dbUrl;
    @Option(names = "--config", description = "JSON config file (env GATEHOUSE_CONFIG).")
    Path config;
    @Option(names = "--allow-insecure-permissions",
            description = "Use the data directory even when other users can read it (a warning instead of a refusal).")
    Boolean allowInsecurePermissions;
    @Option(names = "--kek-file", paramLabel = "FILE", description = "File holding the key-encryption key of the signing "
            + "keys (env GATEHOUSE_KEK_FILE, or the key itself in GATEHOUSE_KEK; default DATA/gatehouse.kek).")
    Path kekFile;

    public ServerConfig config() {
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, data, dbUrl, null, config, null, allowInsecurePermissions, kekFile),
                System.getenv());
    }

    /** The database settings, for commands that work on the files themselves (backup, restore). */
    public DatabaseSettings settings() {
        return config().database();
    }

    /**
     * Opens (and migrates) the database with a small pool. Works while the server runs: on the embedded database
     * through SQLite's file locking, on PostgreSQL like another node.
     */
    public Database open() {
        DatabaseSettings s = settings();
        return Database.open(new DatabaseSettings(s.url(), s.user(), s.password(), 2, s.dataDir(), s.durability(),
                s.allowInsecurePermissions()), Database.Role.CLI);
    }

    /**
     * Like {@link #open}, but on the embedded database also takes the server's lock: refused while a server runs on
     * the data directory, and no server starts until this is closed. (On PostgreSQL the same as {@link #open}.)
     */
    public Database openExclusive() {
        DatabaseSettings s = settings();
        return Database.open(new DatabaseSettings(s.url(), s.user(), s.password(), 2, s.dataDir(), s.durability(),
                s.allowInsecurePermissions()), Database.Role.SERVER);
    }
}
