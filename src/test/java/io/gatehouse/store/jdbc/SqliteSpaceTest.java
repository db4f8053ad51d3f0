package io.gatehouse.store.jdbc;

import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The embedded file does not keep the space of purged rows: after 100,000 opaque tokens (written concurrently, as
 * requests would, expiring in the order they were issued) and a purge of the expired older half, the database file is at most twice the size of its live data
 * (measured as a compact copy, {@code VACUUM INTO}).
 */
class SqliteSpaceTest {
    static final int TOKENS = 100_000;

    @Test
    void fileWhenHalfOf100kTokensPurgedThenAtMostTwiceTheLiveData() throws Exception {
        try (TestDb t = TestDb.sqlite()) {
            Instant now = Instant.parse("2026-11-25T12:00:00Z");
            java.time.Clock clock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);
            JdbcTokenStore tokens = new JdbcTokenStore(t.db);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            // Tokens expire in the order they were issued (one lifetime): the older half has expired by now.
            write(tokens, TOKENS / 2, now.minus(Duration.ofDays(1)), failures);
            write(tokens, TOKENS / 2, now.plus(Duration.ofHours(1)), failures);
            assertEquals(List.of(), failures);
            Path file = t.settings.dataDir().resolve("gatehouse.db");
            long full = Files.size(file);

            var purged = new Housekeeping(tokens, new JdbcCodeStore(t.db), new JdbcSessionStore(t.db), clock).purge();
            assertEquals(TOKENS / 2, purged.tokens());
            checkpoint(file);
            long after = Files.size(file);
            Path compact = t.settings.dataDir().resolve("compact.db");
            try (Connection c = Database.sqliteDataSource("jdbc:sqlite:" + file, Durability.FULL).getConnection();
                 PreparedStatement ps = c.prepareStatement("vacuum into ?")) {
                ps.setString(1, compact.toString());
                ps.execute();
            }
            long live = Files.size(compact);
            System.out.printf("SqliteSpaceTest: %d tokens -> %d KiB; after purging half: %d KiB; live data %d KiB (%.2fx)%n",
                    TOKENS, full / 1024, after / 1024, live / 1024, (double) after / live);
            assertTrue(after <= 2 * live, "file " + after + " bytes, live data " + live + " bytes");
            assertTrue(after < full, "the purge gave space back");
        }
    }

    /** {@code n} tokens expiring at {@code exp}, saved by 8 threads at once (as concurrent requests do). */
    private static void write(JdbcTokenStore tokens, int n, Instant exp, List<Throwable> failures) throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            writers.add(Thread.ofVirtual().uncaughtExceptionHandler((th, e) -> failures.add(e)).start(() -> {
                SecureRandom random = new SecureRandom();
                for (int i = 0; i < n / 8; i++) {
                    tokens.save(new TokenRecord(Tokens.hash(Tokens.random(random, 32)), TokenRecord.Kind.ACCESS,
                            new ClientId("svc"), "svc", Scope.parse("read write"), exp.minusSeconds(3600), exp,
                            Optional.empty(), false));
                }
            }));
        }
        for (Thread w : writers) w.join();
    }

    /** Moves the write-ahead log into the file, as SQLite's automatic checkpoints do under way. */
    private static void checkpoint(Path file) throws Exception {
        try (Connection c = Database.sqliteDataSource("jdbc:sqlite:" + file, Durability.FULL).getConnection();
             var st = c.createStatement()) {
            st.execute("pragma wal_checkpoint(truncate)");
        }
    }
}
