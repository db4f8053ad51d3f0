package io.gatehouse.store.jdbc;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `gatehouse backup FILE` while the server writes, and `gatehouse restore FILE` with the server stopped, as an operator
 * runs them (separate processes, the embedded database).
 */
class BackupRestoreTest {
    private Path dir;
    private Path backups;

    @BeforeEach
    void createDatabase() {
        dir = TestDb.tempDir("backup");
        backups = TestDb.tempDir("backups");
        try (Database db = Database.open(DatabaseSettings.embedded(dir), Database.Role.CLI)) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(), new SecureRandom())
                    .add("svc", Optional.of("s3cret"), false, b -> b.tokenFormat(TokenFormat.OPAQUE));
        }
    }

    @AfterEach
    void delete() {
        TestDb.deleteTree(dir);
        TestDb.deleteTree(backups);
    }

    @Test
    void backupWhenTakenUnderWriteLoadThenRestoreKeepsEveryTokenAcknowledgedBeforeIt() throws Exception {
        Path file = backups.resolve("gatehouse-backup.db");
        List<String> before;
        String after;
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            List<String> issued = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                load.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) issued.add(Http.token(server.base, "svc", "s3cret"));
                }));
            }
            while (issued.size() < 200) Thread.sleep(10);
            synchronized (issued) {
                before = List.copyOf(issued);  // acknowledged before the backup starts
            }
            ServerProcess.Result backup = ServerProcess.run(Map.of(), "backup", file.toString(), "--data", dir.toString());
            int during = issued.size() - before.size();
            stop.set(true);
            for (Thread t : load) t.join();
            assertEquals(0, backup.exitCode(), backup.output());
            assertTrue(backup.output().contains("integrity ok"), backup.output());
            assertTrue(during > 0, "the server went on writing while the backup ran");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            after = Http.token(server.base, "svc", "s3cret");  // not in the backup

            ServerProcess.Result refused = ServerProcess.run(Map.of(), "restore", file.toString(), "--data", dir.toString());
            assertEquals(2, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("in use by a Gatehouse server"), refused.output());
            assertTrue(active(server.base, after), "a refused restore changes nothing");
        }  // SIGKILL

        ServerProcess.Result restored = ServerProcess.run(Map.of(), "restore", file.toString(), "--data", dir.toString());
        assertEquals(0, restored.exitCode(), restored.output());
        assertTrue(restored.output().contains("the database it replaced is kept as"), restored.output());
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            for (String t : before) assertTrue(active(server.base, t), "a token acknowledged before the backup was lost");
            assertFalse(active(server.base, after), "the restored database is the backup's");
            Http.token(server.base, "svc", "s3cret");
        }
    }

    @Test
    void backupHoldsNeitherTheKekNorAPlainKeyAndARestoreElsewhereStartsOnlyWithTheKekFile() throws Exception {
        String jwks;
        try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", dir.toString())) {
            jwks = Http.get(server.base + "/jwks").body();
        }
        Path kekFile = dir.resolve("gatehouse.kek");
        String kek = Files.readString(kekFile).strip();
        Path file = backups.resolve("gatehouse-backup.db");
        ServerProcess.Result backup = ServerProcess.run(Map.of(), "backup", file.toString(), "--data", dir.toString());
        assertEquals(0, backup.exitCode(), backup.output());
        assertTrue(backup.output().contains("a restore needs that KEK too"), backup.output());
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(kek), "the KEK is not in the backup");
        assertFalse(raw.contains(new String(Base64.getDecoder().decode(kek), StandardCharsets.ISO_8859_1)));
        for (KeyStore.StoredKey k : TestServer.keys()) {
            String d = (String) com.nimbusds.jose.jwk.JWK.parse(k.privateKey()).toJSONObject().get("d");
            assertFalse(raw.contains(d), "private key " + k.kid() + " in clear in the backup");
        }

        Path elsewhere = TestDb.tempDir("restored");
        try {
            ServerProcess.Result restored = ServerProcess.run(Map.of(), "restore", file.toString(), "--data", elsewhere.toString());
            assertEquals(0, restored.exitCode(), restored.output());
            ServerProcess.Result noKek = ServerProcess.run(Map.of(), "serve", "--port", "0", "--data", elsewhere.toString());
            assertEquals(2, noKek.exitCode(), noKek.output());
            assertTrue(noKek.output().contains("no key-encryption key was found: " + elsewhere.resolve("gatehouse.kek")
                    + " is missing"), noKek.output());
            assertFalse(Files.exists(elsewhere.resolve("gatehouse.kek")), "never a new KEK for a database with keys");
            Files.copy(kekFile, elsewhere.resolve("gatehouse.kek"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            try (ServerProcess server = ServerProcess.serve(Map.of(), "--data", elsewhere.toString())) {
                assertEquals(jwks, Http.get(server.base + "/jwks").body(), "the same keys with the KEK put back");
                Http.token(server.base, "svc", "s3cret");
            }
        } finally {
            TestDb.deleteTree(elsewhere);
        }
    }

    @Test
    void restoreWhenFileIsNotABackupThenRefusedAndDatabaseUntouched() throws Exception {
        Path junk = Files.writeString(backups.resolve("junk.db"), "not a database at all, just text ".repeat(200));
        byte[] db = Files.readAllBytes(dir.resolve("gatehouse.db"));
        ServerProcess.Result r = ServerProcess.run(Map.of(), "restore", junk.toString(), "--data", dir.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(junk + " is not a usable SQLite database"), r.output());
        assertArrayEquals(db, Files.readAllBytes(dir.resolve("gatehouse.db")));

        ServerProcess.Result missing = ServerProcess.run(Map.of(), "restore", backups.resolve("nope.db").toString(),
                "--data", dir.toString());
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("no backup file at"), missing.output());
    }

    @Test
    void backupWhenTargetExistsThenRefusedAndTargetUntouched() throws Exception {
        Path existing = Files.writeString(backups.resolve("existing.db"), "keep me");
        ServerProcess.Result r = ServerProcess.run(Map.of(), "backup", existing.toString(), "--data", dir.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("exists already"), r.output());
        assertEquals("keep me", Files.readString(existing));
    }

    @Test
    void backupAndRestoreWhenPostgresqlThenExactPgCommandsWithoutThePassword() {
        Map<String, String> env = Map.of("GATEHOUSE_DB_USER", "gh", "GATEHOUSE_DB_PASSWORD", "hunter2-secret");
        String url = "jdbc:postgresql://db.internal:5433/gatehouse?currentSchema=auth";
        ServerProcess.Result b = ServerProcess.run(env, "backup", "/backups/gh.dump", "--db-url", url);
        assertEquals(2, b.exitCode(), b.output());
        assertTrue(b.output().contains("pg_dump --host=db.internal --port=5433 --username=gh --schema=auth "
                + "--dbname=gatehouse --format=custom --file=/backups/gh.dump"), b.output());
        ServerProcess.Result r = ServerProcess.run(env, "restore", "/backups/gh.dump", "--db-url", url);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("pg_restore --host=db.internal --port=5433 --username=gh --schema=auth "
                + "--dbname=gatehouse --clean --if-exists --single-transaction /backups/gh.dump"), r.output());
        assertFalse((b.output() + r.output()).contains("hunter2"));
    }

    private static boolean active(String base, String token) {
        HttpResponse<String> r = Http.form(base + "/oauth2/introspect", "token=" + token, TestServer.basic("svc", "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("active").asBoolean();
    }
}
