package io.gatehouse.store.jdbc;

import io.gatehouse.Main;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.gatehouse.testing.Http.token;
import static org.junit.jupiter.api.Assertions.*;

/**
 * House rule 9 on the embedded database: what a 2xx (or a finished CLI command) acknowledged survives SIGKILL of
 * the server a moment later. The server runs as a separate OS process on the embedded SQLite file
 * ({@code serve --data DIR}); after the kill the file is opened again and the rows must be there.
 */
class KillDurabilityTest {
    private Path dir;

    @BeforeEach
    void createDatabase() {
        dir = TestDb.tempDir("kill");
        try (Database db = open()) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            admin(db).add("opaque-svc", Optional.of("s3cret"), false, b -> b.tokenFormat(TokenFormat.OPAQUE));
        }
    }

    @AfterEach
    void deleteDatabase() {
        TestDb.deleteTree(dir);
    }

    @Test
    void tokenWhenServerKilledRightAfter200ThenEveryIssuedTokenIsStored() throws Exception {
        List<String> issued = new ArrayList<>();
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            for (int i = 0; i < 10; i++) issued.add(token(server.base, "opaque-svc", "s3cret"));
            List<CompletableFuture<String>> parallel = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                parallel.add(CompletableFuture.supplyAsync(() -> token(server.base, "opaque-svc", "s3cret")));
            }
            for (CompletableFuture<String> f : parallel) issued.add(f.join());
            issued.add(token(server.base, "opaque-svc", "s3cret"));
            server.kill();
        }
        try (Database db = open()) {
            JdbcTokenStore tokens = new JdbcTokenStore(db);
            for (String t : issued) {
                TokenRecord row = tokens.findByHash(Tokens.hash(t)).orElseThrow(() -> new AssertionError("token lost"));
                assertEquals("opaque-svc", row.clientId().value());
                assertFalse(row.revoked());
            }
        }
    }

    @Test
    void clientWhenAddedByCliWhileServerRunsThenUsableAndSurvivesKill() {
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            assertEquals(0, cli("client", "add", "cli-svc", "--secret", "cli-s3cret", "--data", dir.toString()));
            token(server.base, "cli-svc", "cli-s3cret");  // the running server sees it without a restart
            assertEquals(0, cli("client", "update", "cli-svc", "--token-format", "opaque", "--data", dir.toString()));
            assertEquals(0, cli("client", "add", "cli-late", "--secret", "late", "--data", dir.toString()));
            server.kill();  // right after the command returned
        }
        try (Database db = open()) {
            assertEquals(TokenFormat.OPAQUE, admin(db).find("cli-svc").tokenFormat());
            assertEquals("cli-late", admin(db).find("cli-late").id().value());
        }
    }

    @Test
    void revocationWhenCommittedThroughRunningServerThenNotUndoneByKill() {
        String token;
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            token = token(server.base, "opaque-svc", "s3cret");
            // Another process's writes to the same file (SQLite's locking), while the server runs.
            try (Database cli = open()) {
                JdbcTokenStore tokens = new JdbcTokenStore(cli);
                assertTrue(tokens.revoke(Tokens.hash(token)));
                tokens.revokeJwt("jti-killed", Instant.now().plusSeconds(3600));
                assertTrue(new JdbcClientRepository(cli).delete(new ClientId("opaque-svc")));
            }
            server.kill();
        }
        try (Database db = open()) {
            JdbcTokenStore tokens = new JdbcTokenStore(db);
            assertTrue(tokens.findByHash(Tokens.hash(token)).orElseThrow().revoked());
            assertTrue(tokens.isJwtRevoked("jti-killed"));
            assertTrue(new JdbcClientRepository(db).find(new ClientId("opaque-svc")).isEmpty());
        }
    }

    @Test
    void embeddedServerWhenRunningThenListensOnItsHttpPortsOnly() throws Exception {
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            int httpPort = java.net.URI.create(server.base).getPort();
            int managementPort = java.net.URI.create(server.management).getPort();
            assertEquals(List.of(httpPort, managementPort).stream().sorted().toList(),
                    listeningPorts(server.process.pid()).stream().sorted().toList(),
                    "the public and the management listener, and no port of the database");
        }
    }

    /** TCP ports on which the process has listening sockets (its socket inodes matched in /proc/net/tcp and tcp6). */
    private static List<Integer> listeningPorts(long pid) throws java.io.IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A") || !inodes.contains(f[9])) continue;  // 0A = LISTEN
                ports.add(Integer.parseInt(f[1].split(":")[1], 16));
            }
        }
        return ports;
    }

    /** The CLI in this JVM: it opens the same SQLite file as the running server. */
    private static int cli(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    private Database open() {
        return Database.open(DatabaseSettings.embedded(dir), Database.Role.CLI);
    }

    private static ClientAdmin admin(Database db) {
        return new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
    }
}
