package io.gatehouse.store.jdbc;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Online backup and offline restore of the embedded database, and the PostgreSQL commands to use instead.
 * A backup is SQLite's {@code VACUUM INTO}: a consistent, compact copy of one read transaction, taken while the
 * server goes on writing. A restore replaces the database file while no server holds the data directory; the
 * database it replaces is kept beside it.
 */
public final class Backups {
    /** What a backup or restore did, in words for the operator. */
    public record Done(String message) {
    }

    /** Refused: the message says why and what to do instead. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private Backups() {
    }

    /** Writes a consistent copy of the embedded database to {@code target} (which must not exist), mode 0600. */
    public static Done backup(DatabaseSettings s, Path target) {
        if (s.url().isPresent()) throw new Refused(pgDumpAdvice(s, target));
        DataDirectory dir = new DataDirectory(s.dataDir());
        if (!Files.exists(dir.database())) throw new Refused("no database at " + dir.database());
        Path out = target.toAbsolutePath().normalize();
        if (Files.exists(out)) throw new Refused(out + " exists already; choose a new file name");
        try {
            Files.createDirectories(out.getParent());
            DataDirectory.createPrivateFile(out);
        } catch (IOException e) {
            throw new Refused("cannot create " + out + " (" + e.getClass().getSimpleName() + ")");
        }
        // Opened as the CLI opens it: checks the file, its permissions and schema; the copy is one read transaction.
        // (VACUUM INTO writes the copy, so not on the read-only read pool, and not inside a write transaction.)
        try (Database db = Database.open(s, Database.Role.CLI);
             Connection c = Database.sqliteDataSource("jdbc:sqlite:" + dir.database(), s.durability()).getConnection();
             PreparedStatement ps = c.prepareStatement("vacuum into ?")) {
            ps.setString(1, out.toString());
            ps.execute();
        } catch (SQLException | RuntimeException e) {
            deleteQuietly(out);
            if (e instanceof DataDirectory.Refused r) throw r;
            throw new Refused("backup failed: " + e.getMessage());
        }
        fsync(out);
        Check check = check(out);
        return new Done("backup of " + dir.database() + " written to " + out + " (" + size(out) + " bytes, schema version "
                + check.version + ", integrity ok)");
    }

    /**
     * Replaces the embedded database with the backup {@code source}, which must be a sound Gatehouse database of a
     * schema version this binary knows. Refused while a server holds the data directory.
     */
    public static Done restore(DatabaseSettings s, Path source, Clock clock) {
        if (s.url().isPresent()) throw new Refused(pgRestoreAdvice(s, source));
        Path in = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(in)) throw new Refused("no backup file at " + in);
        check(in);
        DataDirectory dir = new DataDirectory(s.dataDir());
        dir.prepare(s.allowInsecurePermissions());
        try (AutoCloseable lock = dir.lockForServer()) {
            Path db = dir.database();
            Path tmp = dir.dir().resolve(DataDirectory.DB_FILE + ".restoring");
            Files.deleteIfExists(tmp);
            DataDirectory.createPrivateFile(tmp);
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            fsync(tmp);
            String kept = null;
            if (Files.size(db) > 0) {
                // The old file and its WAL move together (a WAL belongs to its database file); the -shm is rebuilt.
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(clock.instant().atZone(java.time.ZoneOffset.UTC));
                kept = "gatehouse-before-restore-" + stamp + ".db";
                Files.move(db, dir.dir().resolve(kept));
                Path wal = dir.dir().resolve(DataDirectory.DB_FILE + "-wal");
                if (Files.exists(wal)) Files.move(wal, dir.dir().resolve(kept + "-wal"));
            }
            Files.deleteIfExists(dir.dir().resolve(DataDirectory.DB_FILE + "-wal"));
            Files.deleteIfExists(dir.dir().resolve(DataDirectory.DB_FILE + "-shm"));
            Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE);
            fsync(dir.dir());
            return new Done("restored " + in + " into " + db + (kept == null ? "" : "; the database it replaced is kept as "
                    + dir.dir().resolve(kept)));
        } catch (DataDirectory.Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused("restore failed: " + e.getMessage());
        }
    }

    private record Check(int version) {
    }

    /** A backup must be a Gatehouse database that passes SQLite's integrity check, of a schema this binary knows. */
    private static Check check(Path file) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        try (Connection c = cfg.createConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            try (var rs = st.executeQuery("pragma application_id")) {
                if (!rs.next() || rs.getInt(1) != Database.APPLICATION_ID) {
                    throw new Refused(file + " is not a Gatehouse database backup");
                }
            }
            try (var rs = st.executeQuery("pragma integrity_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) throw new Refused(file + " fails SQLite's integrity check: " + result);
            }
            Optional<Integer> version = Database.appliedVersion(c);
            if (version.isEmpty()) throw new Refused(file + " holds no Gatehouse schema");
            if (version.get() > Database.SCHEMA_VERSION) {
                throw new Refused(file + " has schema version " + version.get() + ", newer than this Gatehouse knows ("
                        + Database.SCHEMA_VERSION + "): restore it with a newer Gatehouse");
            }
            return new Check(version.get());
        } catch (SQLException e) {
            throw new Refused(file + " is not a usable SQLite database (" + e.getMessage() + ")");
        }
    }

    /** The pg_dump command for the configured PostgreSQL database (the password comes from PGPASSWORD). */
    static String pgDumpAdvice(DatabaseSettings s, Path target) {
        return "the database is PostgreSQL: back it up with PostgreSQL's own tool, while Gatehouse runs:\n  "
                + String.join(" ", pgArgs("pg_dump", s)) + " --format=custom --file=" + target + "\n"
                + "(give the password in PGPASSWORD or ~/.pgpass; the dump holds signing keys and client secrets: keep it "
                + "private). For continuous protection use PostgreSQL's WAL archiving (point-in-time recovery).";
    }

    static String pgRestoreAdvice(DatabaseSettings s, Path source) {
        return "the database is PostgreSQL: stop every Gatehouse node, then restore with PostgreSQL's own tool:\n  "
                + String.join(" ", pgArgs("pg_restore", s)) + " --clean --if-exists --single-transaction " + source + "\n"
                + "(give the password in PGPASSWORD or ~/.pgpass), then start the nodes again.";
    }

    /** Connection arguments from a JDBC URL: host, port, database, user and schema; never a password. */
    static List<String> pgArgs(String tool, DatabaseSettings s) {
        URI uri = URI.create(s.url().orElseThrow().substring("jdbc:".length()));
        List<String> args = new ArrayList<>(List.of(tool));
        if (uri.getHost() != null) args.add("--host=" + uri.getHost());
        if (uri.getPort() > 0) args.add("--port=" + uri.getPort());
        s.user().ifPresent(u -> args.add("--username=" + u));
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String p : query.split("&")) {
            if (p.startsWith("user=") && s.user().isEmpty()) args.add("--username=" + p.substring(5));
            if (p.startsWith("currentSchema=")) args.add("--schema=" + p.substring("currentSchema=".length()));
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        args.add("--dbname=" + db);
        return args;
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, Files.isDirectory(p) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new Refused("cannot sync " + p + " to disk (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
