package io.gatehouse.testing;

import io.gatehouse.config.KekSource;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.Durability;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, migrated database for one test class: the embedded SQLite file in a new directory (opened as `serve`
 * opens it, default durability), or a new schema in the PostgreSQL that {@code ./run-tests} provides
 * ({@code GATEHOUSE_TEST_PG_URL}, {@code GATEHOUSE_TEST_PG_USER}, {@code GATEHOUSE_TEST_PG_PASSWORD}). Without that
 * URL PostgreSQL tests are skipped, except on CI (env {@code CI}) when PostgreSQL server binaries are installed:
 * then a missing URL means the test setup is broken, and the test fails instead of passing silently.
 */
public final class TestDb implements AutoCloseable {
    public static final String PG_URL_ENV = "GATEHOUSE_TEST_PG_URL";
    /**
     * The key-encryption key every PostgreSQL server of this test run gets (random per JVM): in-process through
     * {@link #serverConfig}, to processes as {@code GATEHOUSE_KEK} ({@link #kekEnv}).
     */
    public static final String TEST_KEK = newKek();

    public final DatabaseSettings settings;
    public final Database db;
    private final Runnable cleanup;

    private TestDb(DatabaseSettings settings, Runnable cleanup) {
        this.settings = settings;
        this.cleanup = cleanup;
        try {
            this.db = open(4);
        } catch (RuntimeException e) {
            cleanup.run();
            throw e;
        }
    }

    /** The embedded SQLite database in a new directory under target/; deleted on close. */
    public static TestDb sqlite() {
        Path dir = tempDir("sqlite");
        return new TestDb(DatabaseSettings.embedded(dir), () -> deleteTree(dir));
    }

    /** A new schema in the test PostgreSQL, dropped on close; skips (or fails on CI) without one. */
    public static TestDb postgres() {
        String base = System.getenv(PG_URL_ENV);
        if (base == null || base.isBlank()) {
            if (System.getenv("CI") != null && postgresInstalled()) {
                throw new AssertionError(PG_URL_ENV + " is not set although PostgreSQL is installed and CI is set: "
                        + "run the tests with ./run-tests (bin/test-env.d/postgres.sh starts a throwaway server)");
            }
            Assumptions.abort(PG_URL_ENV + " not set: PostgreSQL tests skipped (./run-tests provides one)");
        }
        Optional<String> user = Optional.ofNullable(System.getenv("GATEHOUSE_TEST_PG_USER"));
        Optional<String> password = Optional.ofNullable(System.getenv("GATEHOUSE_TEST_PG_PASSWORD"));
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(base, user, password, "create schema " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDb(new DatabaseSettings(Optional.of(url), user, password, 4, Path.of("target/unused"),
                Durability.FULL, false), () -> execute(base, user, password, "drop schema " + schema + " cascade"));
    }

    public static boolean postgresInstalled() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/initdb")));
        } catch (IOException e) {
            return false;
        }
    }

    /** Another pool on the same database (as a second node or the CLI would open it). */
    public Database open(int poolSize) {
        return Database.open(new DatabaseSettings(settings.url(), settings.user(), settings.password(), poolSize,
                settings.dataDir(), settings.durability(), false), Database.Role.CLI);
    }

    /** The JDBC URL of this database (PostgreSQL only). */
    public String url() {
        return settings.url().orElseThrow();
    }

    /**
     * A test server config (port 0) pointing at this database; on PostgreSQL with {@link #TEST_KEK} (the embedded
     * database generates a KEK file in its data directory).
     */
    public ServerConfig serverConfig() {
        ServerConfig cfg = ServerConfig.forTest(settings.dataDir()).withDatabase(settings);
        return settings.url().isEmpty() ? cfg : withTestKek(cfg);
    }

    /** {@code cfg} with {@link #TEST_KEK} as its key-encryption key (what GATEHOUSE_KEK gives). */
    public static ServerConfig withTestKek(ServerConfig cfg) {
        return cfg.withKeys(cfg.keys().withKek(new KekSource.Value(TEST_KEK)));
    }

    /** {@code GATEHOUSE_KEK} = {@link #TEST_KEK}, for server and CLI processes on PostgreSQL. */
    public static Map<String, String> kekEnv() {
        return Map.of("GATEHOUSE_KEK", TEST_KEK);
    }

    /** A new random key-encryption key: the base64 of 32 random bytes, like `openssl rand -base64 32`. */
    public static String newKek() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** Deletes every row of the given tables (between tests of one class). */
    public void clear(String... tables) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String t : tables) s.executeUpdate("delete from " + t);
            }
            return null;
        });
    }

    public static Path tempDir(String prefix) {
        try {
            Path target = Files.createDirectories(Path.of("target", "tmp"));
            return Files.createTempDirectory(target, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(String url, Optional<String> user, Optional<String> password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
        cleanup.run();
    }
}
