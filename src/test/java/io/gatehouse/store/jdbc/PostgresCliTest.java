package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

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
