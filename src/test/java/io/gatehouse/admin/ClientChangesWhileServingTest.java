package io.gatehouse.admin;

import io.gatehouse.testing.Cli;
import io.gatehouse.testing.Cli.Run;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * `gatehouse client ...` run against a serving server's database (as from another process): the server keeps the
 * clients it read, and every change counts from the very next token request (JdbcClientRepository checks each use
 * against the row's version).
 */
class ClientChangesWhileServingTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static synchronized Run cli(String stdin, String... args) {
        return Cli.run(server.dataDir(), stdin, args);
    }

    static HttpResponse<String> token(String id, String secret) {
        return server.form("/oauth2/token", "grant_type=client_credentials", basic(id, secret));
    }

    @Test
    void clientWhenChangedByTheCliThenTheNextTokenRequestSeesIt() {
        assertEquals(0, cli("first-secret\n", "client", "add", "svc", "--secret-stdin", "--grant", "client_credentials",
                "--scope", "read write").code());
        for (int i = 0; i < 3; i++) assertEquals(200, token("svc", "first-secret").statusCode(), "kept and used again");
        assertEquals("read write", json(token("svc", "first-secret")).get("scope").asText());

        assertEquals(0, cli(null, "client", "update", "svc", "--scope", "read").code());
        HttpResponse<String> narrowed = token("svc", "first-secret");
        assertEquals(200, narrowed.statusCode());
        assertEquals("read", json(narrowed).get("scope").asText());

        assertEquals(0, cli("second-secret\n", "client", "rotate-secret", "svc", "--secret-stdin").code());
        HttpResponse<String> old = token("svc", "first-secret");
        assertEquals(401, old.statusCode());
        assertEquals("invalid_client", json(old).get("error").asText());
        assertEquals(200, token("svc", "second-secret").statusCode());

        assertEquals(0, cli(null, "client", "remove", "svc").code());
        HttpResponse<String> gone = token("svc", "second-secret");
        assertEquals(401, gone.statusCode());
        assertEquals("invalid_client", json(gone).get("error").asText());

        assertEquals(0, cli("third-secret\n", "client", "add", "svc", "--secret-stdin", "--grant", "client_credentials",
                "--scope", "other").code());
        assertEquals(401, token("svc", "second-secret").statusCode(), "the removed client's secret is not the new one's");
        HttpResponse<String> again = token("svc", "third-secret");
        assertEquals(200, again.statusCode());
        assertEquals("other", json(again).get("scope").asText());
    }
}
