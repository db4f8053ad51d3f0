package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The embedded file must not grow without bound under durable (WRITE_DELAY=0) commits. */
class H2MaintenanceTest {
    @TempDir
    Path dir;

    @Test
    void fileSpaceIsReusedAfterHousekeepingInsteadOfGrowingPerCommit() throws Exception {
        // H2 reuses a freed chunk only after RETENTION_TIME (45 s by default, which production keeps: a shorter
        // one loses commits on SIGKILL, see docs/storage.md). Shortened here so that the test need not wait 45 s.
        try (Database db = Database.open(Database.embeddedUrl(dir) + ";RETENTION_TIME=1000", null, null, 8);
             JdbcTokenStore tokens = new JdbcTokenStore(db.dataSource())) {
            Path file = dir.resolve("gatehouse.mv.db");
            burst(tokens, 4_000);
            long afterFirst = Files.size(file);
            for (int i = 0; i < 3; i++) {
                Thread.sleep(H2Maintenance.INTERVAL.toMillis() * 2);
                burst(tokens, 4_000);
            }
            long afterLast = Files.size(file);
            System.out.println("embedded file: " + afterFirst / 1024 + " KiB after the first burst, " + afterLast / 1024
                    + " KiB after four");
            // Without housekeeping every commit appends a chunk that is never reused: four bursts make the file
            // about four times as large as one. With it, later bursts mostly reuse what earlier ones left dead.
            assertTrue(afterLast < afterFirst * 5 / 2,
                    "file grew from " + afterFirst / 1024 + " KiB to " + afterLast / 1024 + " KiB");
            try (var c = db.dataSource().getConnection(); var rs = c.createStatement().executeQuery("select count(*) from tokens")) {
                rs.next();
                assertEquals(16_000, rs.getLong(1));
            }
        }
    }

    @Test
    void housekeepingRunsOnlyWhereTheStoreIsLocal() throws Exception {
        try (Database db = Database.open(Database.embeddedUrl(dir), null, null, 2)) {
            assertTrue(H2Maintenance.start(db.dataSource()).runOnce());
        }
    }

    private static void burst(JdbcTokenStore tokens, int n) throws Exception {
        SecureRandom random = new SecureRandom();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] f = new Future<?>[8];
            for (int t = 0; t < 8; t++) {
                f[t] = pool.submit(() -> {
                    for (int i = 0; i < n / 8; i++) {
                        tokens.save(new TokenRecord(Tokens.hash(Tokens.random(random, 32)), TokenRecord.Kind.ACCESS,
                                new ClientId("c"), "c", Scope.of("a"), Instant.EPOCH, Instant.ofEpochSecond(4_000_000_000L),
                                Optional.empty(), false));
                    }
                    return null;
                });
            }
            for (Future<?> x : f) x.get();
        } finally {
            pool.shutdown();
        }
    }
}
