package io.gatehouse.admin;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.store.jdbc.Database;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The database options every admin command shares; the same resolution as `serve`. */
public final class DbOptions {
    @Option(names = "--data", description = "Data directory of the embedded database (default ./data; env GATEHOUSE_DATA).")
    Path data;
    @Option(names = "--db-url", description = "JDBC URL instead of the embedded file (env GATEHOUSE_DB_URL).")
    String dbUrl;
    @Option(names = "--config", description = "JSON config file (env GATEHOUSE_CONFIG).")
    Path config;

    public ServerConfig config() {
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, data, dbUrl, null, config, null), System.getenv());
    }

    /** Opens (and migrates) the database; works while the server runs (H2 AUTO_SERVER). */
    public Database open() {
        ServerConfig cfg = config();
        if (cfg.dbUrl().isEmpty()) {
            String problem = checkDataDir(cfg.dataDir());
            if (problem != null) throw new IllegalArgumentException(problem);
        }
        return Database.open(cfg.jdbcUrl(), cfg.dbUser().orElse(null), cfg.dbPassword().orElse(null), 2);
    }

    /** @return a message when the data directory cannot be created or written, else null */
    public static String checkDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            return "data directory " + dir + " cannot be created (" + e.getClass().getSimpleName() + ")";
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return "data directory " + dir + " is not a writable directory";
        }
        return null;
    }

    /** Removes a password from a JDBC URL before it is shown. */
    public static String redact(String s) {
        return s.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
    }
}
