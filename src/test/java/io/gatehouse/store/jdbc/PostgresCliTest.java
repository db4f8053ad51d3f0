package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.testing.Http.token;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code gatehouse serve --db-url jdbc:postgresql://...} and {@code gatehouse client ... --db-url ...} as an
 * operator runs them (separate JVMs, credentials in GATEHOUSE_DB_USER / GATEHOUSE_DB_PASSWORD), and what they
 * print when the credentials are wrong: never the password.
 */
class PostgresCliTest {
    static final String WRONG = "Wr0ng-Pa55word-x9";
    static TestDb pg;
    static Map<String, String> env;

    @BeforeAll
    static void database() {
        pg = TestDb.postgres();
        env = Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""), "GATEHOUSE_DB_PASSWORD", pg.settings.password().orElse(""),
                "GATEHOUSE_KEK", TestDb.TEST_KEK);
    }

    @AfterAll
    static void drop() {
        if (pg != null) pg.close();
    }

    @Test
    void serveAndClientCommandsWhenDbUrlIsPostgresqlThenShareTheDatabase() {
        ServerProcess.Result added = ServerProcess.run(env, "client", "add", "pg-cli", "--secret", "s3cret",
                "--token-format", "opaque", "--db-url", pg.url());
        assertEquals(0, added.exitCode(), added.output());
        try (ServerProcess server = ServerProcess.serve(env, "--db-url", pg.url())) {
            assertTrue(server.output().contains("database: PostgreSQL at jdbc:postgresql://"), server.output());
            String opaque = token(server.base, "pg-cli", "s3cret");
            TokenRecord row = new JdbcTokenStore(pg.db).findByHash(Tokens.hash(opaque)).orElseThrow();
            assertEquals("pg-cli", row.clientId().value());

            ServerProcess.Result second = ServerProcess.run(env, "client", "add", "pg-late", "--secret", "late",
                    "--db-url", pg.url());
            assertEquals(0, second.exitCode(), second.output());
            token(server.base, "pg-late", "late");
            ServerProcess.Result list = ServerProcess.run(env, "client", "list", "--db-url", pg.url());
            assertEquals("pg-cli\tconfidential\tclient_credentials\t\npg-late\tconfidential\tclient_credentials\t\n",
                    list.output());
        }
    }

    @Test
    void serveAndKeyRotateWithoutKekAreRefusedOnPostgresqlAndListingNeedsNone() {
        Map<String, String> noKek = Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""),
                "GATEHOUSE_DB_PASSWORD", pg.settings.password().orElse(""));
        List<StoredKey> before = new JdbcKeyStore(pg.db).all();
        String refusal = "gatehouse: the database is PostgreSQL and no key-encryption key is configured: set GATEHOUSE_KEK";
        ServerProcess.Result serve = ServerProcess.run(noKek, "serve", "--port", "0", "--db-url", pg.url());
        assertEquals(2, serve.exitCode(), serve.output());
        assertTrue(serve.output().contains(refusal), serve.output());
        ServerProcess.Result rotate = ServerProcess.run(noKek, "keys", "rotate", "--alg", "ES256", "--db-url", pg.url());
        assertEquals(2, rotate.exitCode(), rotate.output());
        assertTrue(rotate.output().contains(refusal), rotate.output());
        ServerProcess.Result list = ServerProcess.run(noKek, "keys", "list", "--db-url", pg.url());
        assertEquals(0, list.exitCode(), list.output());
        assertEquals(before, new JdbcKeyStore(pg.db).all(), "nothing generated, nothing changed");
    }

    @Test
    void rewrapOnPostgresqlThenEveryNodeNeedsTheNewKekAndTheOldOneIsRefused(@TempDir Path tmp) throws Exception {
        try (TestDb own = TestDb.postgres()) {
            String oldKek = TestDb.newKek();
            Map<String, String> base = Map.of("GATEHOUSE_DB_USER", own.settings.user().orElse(""),
                    "GATEHOUSE_DB_PASSWORD", own.settings.password().orElse(""));
            Map<String, String> withOld = new HashMap<>(base);
            withOld.put("GATEHOUSE_KEK", oldKek);
            String kids;
            try (ServerProcess server = ServerProcess.serve(withOld, "--db-url", own.url())) {
                kids = Http.get(server.base + "/jwks").body();
            }
            Path next = tmp.resolve("new.kek");
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(next, TestDb.newKek() + "\n");
            String newId = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(Files.readString(next).strip()));

            ServerProcess.Result done = ServerProcess.run(withOld, "keys", "rewrap", "--new-kek-file", next.toString(),
                    "--db-url", own.url());
            assertEquals(0, done.exitCode(), done.output());
            assertTrue(done.output().contains("under KEK id " + newId) && done.output().contains("in the PostgreSQL database"),
                    done.output());
            assertTrue(done.output().contains("on every node, before starting them"), done.output());
            assertTrue(new JdbcKeyStore(own.db).all().stream().allMatch(k -> k.kekId().equals(Optional.of(newId))));

            ServerProcess.Result old = ServerProcess.run(withOld, "serve", "--port", "0", "--db-url", own.url());
            assertEquals(2, old.exitCode(), old.output());
            assertTrue(old.output().contains("wrong key-encryption key"), old.output());
            try (ServerProcess server = ServerProcess.serve(base, "--db-url", own.url(), "--kek-file", next.toString())) {
                assertEquals(kids, Http.get(server.base + "/jwks").body(), "the same keys under the new KEK");
            }
        }
    }

    @Test
    void clientCommandWhenPasswordWrongThenClearErrorWithoutIt() {
        ServerProcess.Result r = ServerProcess.run(Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""),
                "GATEHOUSE_DB_PASSWORD", WRONG), "client", "list", "--db-url", pg.url());
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("password authentication failed"), r.output());
        assertFalse(r.output().contains(WRONG), r.output());
    }

    @Test
    void clientCommandWhenPasswordInUrlWrongThenErrorWithoutIt() {
        String url = pg.url() + "&user=" + pg.settings.user().orElse("") + "&password=" + WRONG;
        ServerProcess.Result r = ServerProcess.run(Map.of(), "client", "list", "--db-url", url);
        assertEquals(1, r.exitCode(), r.output());
        assertFalse(r.output().contains(WRONG), r.output());
    }

    @Test
    void serveWhenPasswordWrongThenExitsWithClearErrorWithoutIt() {
        ServerProcess.Result r = ServerProcess.run(Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""),
                "GATEHOUSE_DB_PASSWORD", WRONG), "serve", "--port", "0", "--db-url", pg.url());
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("gatehouse: cannot start: "), r.output());
        assertTrue(r.output().contains("password authentication failed"), r.output());
        assertFalse(r.output().contains(WRONG), r.output());
    }
}
