package io.gatehouse.store.jdbc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which database to open and how.
 *
 * @param url        a PostgreSQL JDBC URL; empty means the embedded SQLite file in {@code dataDir}
 * @param poolSize   connections for reads (SQLite) or for everything (PostgreSQL), per process
 * @param durability what an acknowledged write of the embedded database survives
 * @param allowInsecurePermissions start even when other users can read the data directory (with a warning)
 */
public record DatabaseSettings(Optional<String> url, Optional<String> user, Optional<String> password, int poolSize,
                               Path dataDir, Durability durability, boolean allowInsecurePermissions) {
    public DatabaseSettings {
        if (poolSize < 1) throw new IllegalArgumentException("db pool size must be at least 1");
    }

    /** The embedded database in {@code dataDir} with default settings. */
    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), 4, dataDir, Durability.FULL, false);
    }

    /** Removes a password from a JDBC URL (or any text holding one) before it is shown. */
    public static String redact(String s) {
        return s.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + url.map(DatabaseSettings::redact).orElse("embedded in " + dataDir) + "]";
    }
}
