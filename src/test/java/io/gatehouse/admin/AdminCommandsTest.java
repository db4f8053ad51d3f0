package io.gatehouse.admin;

import io.gatehouse.Main;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Role;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.JdbcAuditEventStore;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcUserStore;
import io.gatehouse.core.port.AuditEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `gatehouse admin init`, `user add --role admin` and an admin client from the CLI. */
class AdminCommandsTest {
    @TempDir
    Path data;

    record Run(int code, String out, String err) {
    }

    Run run(String stdin, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--data";
            all[args.length + 1] = data.toString();
            int code = new CommandLine(new Main()).execute(all);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    private Database open() {
        return Database.open(DatabaseSettings.embedded(data), Database.Role.CLI);
    }

    @Test
    void initWhenFirstThenAdminUserAndConsoleClientAndWhenAgainThenRefused() {
        Run init = run("a long admin password\n", "admin", "init", "--username", "root-admin", "--password-stdin",
                "--issuer", "https://id.example.com");
        assertEquals(0, init.code(), init.err());
        assertFalse(init.out().contains("a long admin password"));
        try (Database d = open()) {
            assertTrue(new JdbcUserStore(d).findByUsername("root-admin").orElseThrow().hasRole(Role.ADMIN));
            Client console = new JdbcClientRepository(d).find(new ClientId(AdminCommands.CONSOLE_CLIENT)).orElseThrow();
            assertTrue(console.isPublic() && console.requirePkce() && console.firstParty());
            assertEquals(List.of("https://id.example.com/admin/callback"), console.redirectUris());
            assertEquals("openid " + AdminAccess.SCOPE, console.scope().asString());
            assertEquals(java.util.Set.of(GrantType.AUTHORIZATION_CODE), console.grantTypes());
            var events = new JdbcAuditEventStore(d).list(new AuditEventStore.Query(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 10));
            assertEquals(2, events.size(), "the user and the client, audited");
            assertTrue(events.getFirst().actor().orElseThrow().startsWith("cli (user "));
        }
        Run again = run("another long password\n", "admin", "init", "--username", "second", "--password-stdin");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("an administrator exists already (root-admin)"), again.err());
        Run weak = run("short\n", "admin", "init", "--password-stdin");
        assertEquals(2, weak.code());
        assertTrue(weak.err().contains("password must be 8 to 1024"), weak.err());
    }

    @Test
    void initWhenNoPasswordGivenAndNoTerminalThenRefusedAndNothingCreated() {
        Run r = run("", "admin", "init");
        assertEquals(2, r.code(), r.out());
        try (Database d = open()) {
            assertTrue(new JdbcUserStore(d).list().isEmpty());
            assertTrue(new JdbcClientRepository(d).list().isEmpty());
        }
    }

    @Test
    void userAddWithRoleAdminAndAdminClientFromTheCli() {
        assertEquals(0, run(null, "user", "add", "ops", "--role", "admin", "--password", "long enough pw").code());
        assertTrue(run(null, "user", "show", "ops").out().contains("roles:           admin"));
        assertEquals(0, run(null, "user", "update", "ops", "--role", "").code());
        assertTrue(run(null, "user", "show", "ops").out().contains("roles:           -"));
        Run badRole = run(null, "user", "add", "eve", "--role", "root", "--password", "long enough pw");
        assertEquals(2, badRole.code());
        assertTrue(badRole.err().contains("unknown role"), badRole.err());
        Run bot = run(null, "client", "add", "ci-bot", "--grant", "client_credentials", "--scope", "gatehouse:admin");
        assertEquals(0, bot.code(), bot.err());
        assertTrue(bot.out().contains("client_secret: "));
    }
}
