package io.gatehouse.oidc;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the issue saw fill the 64 MiB heap: 400 POST /login with unique 64 KB usernames, 40 at a time, with the cookie
 * and CSRF token of one GET /oauth2/authorize. The server runs as `serve` does (-Xmx64m), with the attempt limits
 * raised so that every attempt reaches the limiter and the hashing queue (the harder case for memory); afterwards it
 * still serves tokens and sign-ins, and never ran out of memory.
 */
class LoginFloodHeapTest {
    @Test
    void loginWhenFloodOfHugeUniqueUsernamesThenHeapHoldsAndServerKeepsServing() throws Exception {
        Path dir = TestDb.tempDir("heap");
        try (Database db = Database.open(DatabaseSettings.embedded(dir), Database.Role.CLI)) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            var clients = new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(), new SecureRandom());
            clients.add("svc", Optional.of("s3cret"), false, b -> { });
            clients.add("first", Optional.of("s3cret"), false, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                    .redirectUris(List.of(REDIRECT)).firstParty(true));
            OidcFlow.addUser(db, "alice", "alices password");
        }
        Map<String, String> env = Map.of("GATEHOUSE_ATTEMPT_LIMIT_PER_SOURCE", "100000",
                "GATEHOUSE_ATTEMPT_LIMIT_PER_ACCOUNT_SOURCE", "100000", "GATEHOUSE_ATTEMPT_LIMIT_PER_ACCOUNT", "100000");
        try (ServerProcess server = ServerProcess.serve(List.of("-Xms24m", "-Xmx64m", "-Xss512k"), env, 0, "--data", dir.toString())) {
            OidcFlow attacker = new OidcFlow(server.base, server.base);
            HttpResponse<String> page = attacker.authorize(authz("first"));
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            Semaphore forty = new Semaphore(40);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new java.util.ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String username = String.format("%05d", i) + "u".repeat(64_000 - 5);
                    all.add(pool.submit(() -> {
                        forty.acquireUninterruptibly();
                        try {
                            HttpResponse<String> r = attacker.submit(page, "/login", Map.of("username", username, "password", "pw"));
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        } finally {
                            forty.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) f.get(120, TimeUnit.SECONDS);
            }
            System.out.println("LoginFloodHeapTest: answers " + statuses);
            assertEquals(400, statuses.values().stream().mapToInt(AtomicInteger::get).sum());
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
            assertTrue(statuses.containsKey(200), "some attempts were checked: " + statuses);

            assertEquals(200, Http.get(server.base + "/jwks").statusCode());
            Http.token(server.base, "svc", "s3cret");
            OidcFlow alice = new OidcFlow(server.base, server.base);
            alice.code(alice.follow(alice.login(alice.authorize(authz("first")), "alice", "alices password")), Optional.of("st-1"));
            assertTrue(server.process.isAlive());
            assertFalse(server.output().contains("OutOfMemoryError"), server.output());
        } finally {
            TestDb.deleteTree(dir);
        }
    }
}
