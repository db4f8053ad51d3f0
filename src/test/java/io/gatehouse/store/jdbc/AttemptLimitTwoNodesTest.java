package io.gatehouse.store.jdbc;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The attempt budget is one budget for every node: two `serve` processes on one PostgreSQL database, failures spent
 * half on each, and a restarted node that still refuses. 127.0.0.1 is a trusted proxy on both, so X-Forwarded-For
 * gives each caller its address.
 */
class AttemptLimitTwoNodesTest {
    static final int LIMIT = 4;

    static HttpResponse<String> token(ServerProcess node, String secret, String from) {
        return Http.form(node.base + "/oauth2/token", "grant_type=client_credentials",
                TestServer.basic("svc", secret)[0], TestServer.basic("svc", secret)[1], "X-Forwarded-For", from);
    }

    @Test
    void failuresWhenSpreadOverTwoNodesAndARestartThenStillOneBudget() {
        try (TestDb pg = TestDb.postgres()) {
            JdbcKeyStore keys = new JdbcKeyStore(pg.db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            new ClientAdmin(new JdbcClientRepository(pg.db), new SecretHasher(), Clock.systemUTC(), new SecureRandom())
                    .add("svc", Optional.of("right-secret"), false, b -> { });
            Map<String, String> env = Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""),
                    "GATEHOUSE_DB_PASSWORD", pg.settings.password().orElse(""), "GATEHOUSE_KEK", TestDb.TEST_KEK,
                    "GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1/32",
                    "GATEHOUSE_ATTEMPT_LIMIT_PER_ACCOUNT_SOURCE", Integer.toString(LIMIT));
            ServerProcess a = ServerProcess.serve(env, "--db-url", pg.url());
            try (ServerProcess b = ServerProcess.serve(env, "--db-url", pg.url())) {
                for (int i = 0; i < LIMIT / 2; i++) {
                    assertEquals(401, token(a, "guess-a" + i, "203.0.113.1").statusCode());
                    assertEquals(401, token(b, "guess-b" + i, "203.0.113.1").statusCode());
                }
                assertEquals(429, token(a, "guess-a", "203.0.113.1").statusCode(), "node A counts node B's failures");
                assertEquals(429, token(b, "right-secret", "203.0.113.1").statusCode(), "and node B node A's");
                assertEquals(200, token(b, "right-secret", "198.51.100.1").statusCode(), "another address is not slowed");
                a.kill();
                a = ServerProcess.serve(env, "--db-url", pg.url());
                HttpResponse<String> r = token(a, "right-secret", "203.0.113.1");
                assertEquals(429, r.statusCode(), "a restart does not reset the budget");
                long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retry > 0 && retry <= 900, "Retry-After " + retry);
            } finally {
                a.close();
            }
        }
    }
}
