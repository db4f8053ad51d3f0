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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.Http.token;
import static org.junit.jupiter.api.Assertions.*;

/**
 * House rule 9 on the embedded database: what a 2xx (or a finished CLI command) acknowledged survives SIGKILL of
 * the server a moment later. The server runs as a separate OS process on an H2 file ({@code serve --data DIR},
 * i.e. {@link Database#embeddedUrl}); after the kill the file is opened again and the rows must be there.
 */
class KillDurabilityTest {
    private Path dir;

    @BeforeEach
    void createDatabase() {
        dir = TestDb.tempDir("kill");
        try (Database db = open()) {
            JdbcKeyStore keys = new JdbcKeyStore(db.dataSource());
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insertIfNoneFor(k);
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
            JdbcTokenStore tokens = new JdbcTokenStore(db.dataSource());
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
            // A second process on the same file (AUTO_SERVER): the commits run in the server's engine.
            try (Database cli = open()) {
                JdbcTokenStore tokens = new JdbcTokenStore(cli.dataSource());
                assertTrue(tokens.revoke(Tokens.hash(token)));
                tokens.revokeJwt("jti-killed", Instant.now().plusSeconds(3600));
                assertTrue(new JdbcClientRepository(cli.dataSource()).delete(new ClientId("opaque-svc")));
            }
            server.kill();
        }
        try (Database db = open()) {
            JdbcTokenStore tokens = new JdbcTokenStore(db.dataSource());
            assertTrue(tokens.findByHash(Tokens.hash(token)).orElseThrow().revoked());
            assertTrue(tokens.isJwtRevoked("jti-killed"));
            assertTrue(new JdbcClientRepository(db.dataSource()).find(new ClientId("opaque-svc")).isEmpty());
        }
    }

    @Test
    void embeddedServerWhenRunningThenH2PortListensOnLoopbackOnly() throws Exception {
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            String lock = Files.readString(dir.resolve("gatehouse.lock.db"));
            Matcher m = Pattern.compile("server=[^\\n]*?(\\d+)\\s").matcher(lock);
            assertTrue(m.find(), lock);
            int port = Integer.parseInt(m.group(1));
            List<String> listening = listeners(port);
            assertFalse(listening.isEmpty(), "no listener for H2's AUTO_SERVER port " + port);
            for (String address : listening) {
                assertTrue(address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F")
                        || address.equals("00000000000000000000000001000000"), "H2 listens on " + address);
            }
            server.kill();
        }
    }

    /** Local addresses (hex, as in /proc/net/tcp and tcp6) of sockets listening on {@code port}. */
    private static List<String> listeners(int port) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A") || !f[1].contains(":")) continue;  // 0A = LISTEN
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) out.add(local[0]);
            }
        }
        return out;
    }

    /** The CLI in this JVM: with the server holding the file, H2 AUTO_SERVER connects it to the server's engine. */
    private static int cli(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    private Database open() {
        return Database.open(Database.embeddedUrl(dir), null, null, 2);
    }

    private static ClientAdmin admin(Database db) {
        return new ClientAdmin(new JdbcClientRepository(db.dataSource()), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
    }
}
