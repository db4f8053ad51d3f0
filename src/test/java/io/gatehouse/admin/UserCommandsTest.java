package io.gatehouse.admin;

import io.gatehouse.testing.Cli;
import io.gatehouse.testing.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `gatehouse user ...` against an embedded database in a temporary directory. */
class UserCommandsTest {
    @TempDir
    Path data;


    Run run(String... args) {
        return Cli.run(data, null, args);
    }

    @Test
    void userLifecycle() {
        Run add = run("user", "add", "ada", "--password", "analytical engine", "--email", "ada@example.com",
                "--email-verified", "--name", "Ada Lovelace", "--claim", "given_name=Ada");
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().startsWith("user ada added (sub u_"), add.out());
        assertEquals(2, run("user", "add", "ada", "--password", "another one").code());
        Run show = run("user", "show", "ada");
        assertTrue(show.out().contains("email:           ada@example.com"), show.out());
        assertTrue(show.out().contains("email_verified:  true"));
        assertTrue(show.out().contains("given_name=Ada"));
        assertFalse(show.out().contains("argon2"), "never the hash");
        assertEquals(0, run("user", "update", "ada", "--name", "Countess Lovelace").code());
        assertTrue(run("user", "show", "ada").out().contains("Countess Lovelace"));
        assertEquals(0, run("user", "set-password", "ada", "--password", "difference engine").code());
        assertTrue(run("user", "list").out().startsWith("ada\tu_"));
        assertEquals(0, run("user", "remove", "ada").code());
        assertEquals("", run("user", "list").out());
    }

    @Test
    void userAddWhenBadInputThenClearError() {
        Run shortPw = run("user", "add", "bob", "--password", "short");
        assertEquals(2, shortPw.code());
        assertTrue(shortPw.err().contains("password must be 8 to 1024 characters"), shortPw.err());
        Run noConsole = run("user", "add", "bob");
        assertEquals(2, noConsole.code());
        assertTrue(noConsole.err().contains("--password-stdin"), noConsole.err());
        Run reserved = run("user", "add", "bob", "--password", "long enough", "--claim", "sub=x");
        assertEquals(2, reserved.code());
        assertTrue(reserved.err().contains("reserved"));
        assertEquals(2, run("user", "add", "with space", "--password", "long enough").code());
        assertEquals(2, run("user", "show", "nobody").code());
    }

    @Test
    void userAddWhenAddressJsonThenStoredShownUpdatedAndRemoved() {
        Run add = run("user", "add", "eve", "--password", "long enough", "--address-json",
                "{\"street_address\":\"1 Main St\",\"locality\":\"Springfield\",\"country\":\"US\"}");
        assertEquals(0, add.code(), add.err());
        assertTrue(run("user", "show", "eve").out().contains(
                "address:         {\"street_address\":\"1 Main St\",\"locality\":\"Springfield\",\"country\":\"US\"}"));
        assertEquals(0, run("user", "update", "eve", "--name", "Eve").code());
        assertTrue(run("user", "show", "eve").out().contains("\"locality\":\"Springfield\""), "kept when not given");
        assertEquals(0, run("user", "update", "eve", "--address-json", "{\"formatted\":\"2 Side St\"}").code());
        assertTrue(run("user", "show", "eve").out().contains("address:         {\"formatted\":\"2 Side St\"}"));
        assertEquals(0, run("user", "update", "eve", "--address-json", "{}").code());
        assertTrue(run("user", "show", "eve").out().contains("address:         -"));
    }

    @Test
    void userAddWhenAddressBadThenRefusedWithTheReason() {
        String[][] cases = {
                {"{\"street\":\"x\"}", "'street' is not one of"},
                {"{\"country\":49}", "'country' must be a string"},
                {"[\"1 Main St\"]", "must be a JSON object"},
                {"1 Main St", "not valid JSON"},
                {"{\"formatted\":\"a\",\"formatted\":\"b\"}", "Duplicate keys"},
                {"{\"formatted\":\"" + "x".repeat(2040) + "\"}", "at most 2048 bytes"}};
        for (String[] c : cases) {
            Run r = run("user", "add", "fay", "--password", "long enough", "--address-json", c[0]);
            assertEquals(2, r.code(), c[0]);
            assertTrue(r.err().contains(c[1]), r.err());
        }
        Run plain = run("user", "add", "fay", "--password", "long enough", "--claim", "address=1 Main St");
        assertEquals(2, plain.code());
        assertTrue(plain.err().contains("--address-json"), plain.err());
        assertEquals("", run("user", "list").out(), "nothing was added");
    }
}
