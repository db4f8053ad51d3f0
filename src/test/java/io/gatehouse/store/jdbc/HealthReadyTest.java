package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.Gatehouse;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code GET /health/ready} follows the database: 503 with the failing check while PostgreSQL is stopped (a throwaway
 * cluster of this class's own, as in {@link PgOutageTest}), answered within the check's 1 s plus slack, while
 * {@code /health/live} stays 200; 200 again once PostgreSQL is back. Bounds are hang detection, generous.
 */
class HealthReadyTest {
    static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    static final Duration CHANGE_BOUND = Duration.ofSeconds(30);

    @Test
    void readyWhenPostgresStoppedThen503WithTheFailingCheckAndWhenBackThen200() throws Exception {
        Path clusterDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gatehouse-pg");
        Path dataDir = TestDb.tempDir("health-data");
        Process watchdog = null;
        Gatehouse server = null;
        try {
            Map<String, String> env = PgOutageTest.startCluster(clusterDir);
            watchdog = PgOutageTest.watchdog(clusterDir);
            String url = env.get("GATEHOUSE_TEST_PG_URL");
            String user = env.get("GATEHOUSE_TEST_PG_USER");
            String password = env.get("GATEHOUSE_TEST_PG_PASSWORD");
            DatabaseSettings settings = new DatabaseSettings(Optional.of(url), Optional.of(user), Optional.of(password), 4,
                    dataDir, Durability.FULL, false);
            try (Database db = Database.open(settings, Database.Role.CLI)) {
                JdbcKeyStore keys = new JdbcKeyStore(db);
                for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            }
            server = Gatehouse.start(TestDb.withTestKek(ServerConfig.forTest(dataDir).withDatabase(settings)), Clock.systemUTC());
            String management = "http://127.0.0.1:" + server.managementPort();

            HttpResponse<String> up = timed(management + "/health/ready");
            assertEquals(200, up.statusCode(), up.body());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"database\":{\"status\":\"UP\"},\"signing_keys\":{\"status\":\"UP\"}}}",
                    up.body());

            PgOutageTest.cluster("stop", clusterDir, Duration.ofSeconds(60));
            HttpResponse<String> down = awaitStatus(management + "/health/ready", 503);
            System.out.println("HealthReadyTest: while PostgreSQL is down: " + down.body());
            JsonNode body = TestServer.json(down);
            assertEquals("DOWN", body.get("status").asText(), down.body());
            assertEquals("DOWN", body.at("/checks/database/status").asText(), down.body());
            assertFalse(body.at("/checks/database/reason").asText().isEmpty(), down.body());
            assertEquals("UP", body.at("/checks/signing_keys/status").asText(), down.body());
            for (String secret : new String[]{password, user, url, "jdbc:", "Exception"}) {
                assertFalse(down.body().contains(secret), "the answer names '" + secret + "': " + down.body());
            }
            for (int i = 0; i < 3; i++) assertEquals(503, timed(management + "/health/ready").statusCode());
            assertEquals(200, timed(management + "/health/live").statusCode(), "live while the database is down");
            assertEquals(200, Http.get(server.issuer() + "/jwks").statusCode());

            PgOutageTest.cluster("resume", clusterDir, Duration.ofSeconds(60));
            HttpResponse<String> back = awaitStatus(management + "/health/ready", 200);
            assertEquals(up.body(), back.body());
        } finally {
            if (server != null) server.close();
            PgOutageTest.cluster("destroy", clusterDir, Duration.ofSeconds(60));
            if (watchdog != null) watchdog.destroy();
            TestDb.deleteTree(dataDir);
        }
    }

    /** GET that must be answered within {@link #ANSWER_BOUND}. */
    static HttpResponse<String> timed(String url) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.get(url);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < ANSWER_BOUND.toMillis(), url + " took " + ms + " ms");
        return r;
    }

    static HttpResponse<String> awaitStatus(String url, int status) throws InterruptedException {
        long deadline = System.nanoTime() + CHANGE_BOUND.toNanos();
        HttpResponse<String> r;
        do {
            r = timed(url);
            if (r.statusCode() == status) return r;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail(url + " still " + r.statusCode() + " after " + CHANGE_BOUND.toSeconds() + " s: " + r.body());
        return r;
    }
}
