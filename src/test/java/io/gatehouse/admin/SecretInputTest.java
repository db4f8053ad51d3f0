package io.gatehouse.admin;

import io.gatehouse.Main;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Client secrets and passwords off the command line: {@code --secret-stdin}, {@code --password-stdin}, a no-echo
 * prompt on a terminal; {@code --secret}/{@code --password} still work with a warning. Admin changes are audited.
 */
class SecretInputTest {
    @TempDir
    Path data;

    record Run(int code, String out, String err) {
    }

    @AfterEach
    void realTerminal() {
        SecretInput.terminal = SecretInput::systemTerminal;
    }

    /** Runs the CLI in-process with {@code stdin} as standard input. */
    Run cli(String stdin, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            List<String> full = new ArrayList<>(List.of(args));
            full.addAll(List.of("--data", data.toString()));
            int code = new CommandLine(new Main()).execute(full.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    String stored(String sql, String key) throws Exception {
        try (var db = Database.open(DatabaseSettings.embedded(data), Database.Role.CLI);
             var c = db.reads().getConnection();
             var st = c.prepareStatement(sql)) {
            st.setString(1, key);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    boolean clientSecretIs(String id, String secret) throws Exception {
        return new SecretHasher().verify(secret, stored("select secret_hash from clients where client_id = ?", id));
    }

    boolean passwordIs(String username, String password) throws Exception {
        return new SecretHasher().verify(password, stored("select password_hash from users where username = ?", username));
    }

    /** A terminal that answers prompts from a script and records them. */
    static final class FakeTerminal implements SecretInput.Terminal {
        final Deque<String> answers;
        final List<String> prompts = new ArrayList<>();

        FakeTerminal(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public char[] readHidden(String prompt) {
            prompts.add(prompt);
            String a = answers.poll();
            return a == null ? null : a.toCharArray();
        }
    }

    @Test
    void clientSecretStdinWhenOneLineThenItIsTheSecretNotPrintedNoWarningAndAudited() throws Exception {
        Run r = cli("pipe-secret-1\n", "client", "add", "svc", "--secret-stdin");
        assertEquals(0, r.code(), r.err());
        assertEquals("client svc added\n", r.out(), "nothing printed: the secret was given");
        assertFalse(r.err().contains("warning"), r.err());
        assertFalse(r.err().contains("pipe-secret-1"));
        assertTrue(r.err().contains("client added (confidential, secret given): client_id=\"svc\" actor=\"cli (user "), r.err());
        assertTrue(r.err().contains("pid " + ProcessHandle.current().pid() + ")\""), r.err());
        assertTrue(clientSecretIs("svc", "pipe-secret-1"));

        Run crlf = cli("crlf-secret\r\nignored second line\n", "client", "add", "win", "--secret-stdin");
        assertEquals(0, crlf.code(), crlf.err());
        assertTrue(clientSecretIs("win", "crlf-secret"), "CR LF stripped, only the first line read");
        assertEquals(0, cli("no-newline", "client", "add", "eof", "--secret-stdin").code());
        assertTrue(clientSecretIs("eof", "no-newline"));
    }

    @Test
    void clientSecretStdinWhenEmptyOrBadThenRefusedAndNothingAdded() {
        for (String empty : List.of("", "\n", "\r\n")) {
            Run r = cli(empty, "client", "add", "svc", "--secret-stdin");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--secret-stdin: standard input holds no secret"), r.err());
        }
        Run both = cli("x\n", "client", "add", "svc", "--secret", "y", "--secret-stdin");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --secret or --secret-stdin, not both"), both.err());
        Run tooLong = cli("s".repeat(101) + "\n", "client", "add", "svc", "--secret-stdin");
        assertEquals(2, tooLong.code());
        assertTrue(tooLong.err().contains("1 to 100"), tooLong.err());
        Run huge = cli("s".repeat(10_000), "client", "add", "svc", "--secret-stdin");
        assertEquals(2, huge.code());
        assertTrue(huge.err().contains("more than 8192 bytes"), huge.err());
        Run control = cli("a\u0007b\n", "client", "add", "svc", "--secret-stdin");
        assertEquals(2, control.code());
        assertTrue(control.err().contains("control characters"), control.err());
        Run publicClient = cli("x\n", "client", "add", "spa", "--public", "--grant", "authorization_code",
                "--redirect-uri", "http://127.0.0.1/cb", "--secret-stdin");
        assertEquals(2, publicClient.code());
        assertEquals("", cli("", "client", "list").out(), "nothing was added");
    }

    @Test
    void clientSecretOnCommandLineWhenGivenThenStillWorksWithWarning() throws Exception {
        Run r = cli("", "client", "add", "legacy", "--secret", "argv-secret");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("gatehouse: warning: --secret puts the secret in the process list and shell history; "
                + "use --secret-stdin"), r.err());
        assertFalse(r.err().contains("argv-secret"), "the warning does not repeat it");
        assertTrue(clientSecretIs("legacy", "argv-secret"));
        Run u = cli("", "client", "update", "legacy", "--secret", "argv-secret-2");
        assertEquals(0, u.code(), u.err());
        assertTrue(u.err().contains("gatehouse: warning: --secret puts"), u.err());
        assertTrue(clientSecretIs("legacy", "argv-secret-2"));
    }

    @Test
    void clientAddWhenNoFlagAndNoTerminalThenGeneratedAndPrintedOnce() throws Exception {
        Run r = cli("", "client", "add", "gen");
        assertEquals(0, r.code(), r.err());
        String secret = r.out().lines().filter(l -> l.startsWith("client_secret: ")).findFirst().orElseThrow().substring(15);
        assertTrue(clientSecretIs("gen", secret));
        assertTrue(r.err().contains("client added (confidential, secret generated): client_id=\"gen\""), r.err());
        assertFalse(r.err().contains(secret), "never in the audit log");
    }

    @Test
    void clientAddWhenTerminalThenPromptedWithoutEchoAndEmptyAnswerGenerates() throws Exception {
        FakeTerminal typed = new FakeTerminal("typed-secret");
        SecretInput.terminal = () -> typed;
        Run r = cli("", "client", "add", "typed");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("Client secret (input hidden; empty to generate one): "), typed.prompts);
        assertEquals("client typed added\n", r.out());
        assertTrue(clientSecretIs("typed", "typed-secret"));

        SecretInput.terminal = () -> new FakeTerminal("");
        Run gen = cli("", "client", "add", "generated");
        assertEquals(0, gen.code(), gen.err());
        assertTrue(gen.out().contains("client_secret: "), gen.out());

        FakeTerminal unused = new FakeTerminal();
        SecretInput.terminal = () -> unused;
        assertEquals(0, cli("", "client", "add", "spa", "--public", "--grant", "authorization_code",
                "--redirect-uri", "http://127.0.0.1/cb").code());
        assertEquals(0, cli("piped\n", "client", "add", "piped", "--secret-stdin").code());
        assertEquals(0, cli("", "client", "update", "piped", "--scope", "a").code());
        assertEquals(0, cli("", "client", "rotate-secret", "piped").code());
        assertEquals(List.of(), unused.prompts, "no prompt for public clients, given secrets, update or rotate-secret");
    }

    @Test
    void rotateAndUpdateSecretStdinThenNewSecretWorksOldStopsAndChangesAudited() throws Exception {
        assertEquals(0, cli("first\n", "client", "add", "svc", "--secret-stdin").code());
        Run rot = cli("second\n", "client", "rotate-secret", "svc", "--secret-stdin");
        assertEquals(0, rot.code(), rot.err());
        assertEquals("client svc secret changed\n", rot.out());
        assertTrue(rot.err().contains("client secret rotated (given): client_id=\"svc\""), rot.err());
        assertTrue(clientSecretIs("svc", "second"));
        assertFalse(clientSecretIs("svc", "first"));

        Run upd = cli("third\n", "client", "update", "svc", "--secret-stdin", "--scope", "read write");
        assertEquals(0, upd.code(), upd.err());
        assertTrue(upd.err().contains("client updated (secret, scope): client_id=\"svc\""), upd.err());
        assertTrue(clientSecretIs("svc", "third"));

        Run gen = cli("", "client", "rotate-secret", "svc");
        assertTrue(gen.out().startsWith("client_secret: "), gen.out());
        assertTrue(gen.err().contains("client secret rotated (generated): client_id=\"svc\""), gen.err());
        Run same = cli("", "client", "update", "svc", "--scope", "read write");
        assertTrue(same.err().contains("client updated (nothing changed): client_id=\"svc\""), same.err());
        Run rm = cli("", "client", "remove", "svc");
        assertTrue(rm.err().contains("client removed: client_id=\"svc\""), rm.err());
        Run failed = cli("", "client", "remove", "svc");
        assertEquals(2, failed.code());
        assertFalse(failed.err().contains("client removed"), "only changes made are audited");
    }

    @Test
    void userPasswordStdinThenSetAndAuditedAndArgvWarns() throws Exception {
        Run add = cli("correct horse battery\n", "user", "add", "ada", "--password-stdin", "--name", "Ada");
        assertEquals(0, add.code(), add.err());
        assertTrue(passwordIs("ada", "correct horse battery"));
        assertFalse(add.err().contains("warning"), add.err());
        assertTrue(add.err().contains("user added: username=\"ada\" user_id=\"u_"), add.err());
        assertFalse(add.err().contains("correct horse"));

        Run set = cli("difference engine\n", "user", "set-password", "ada", "--password-stdin");
        assertEquals(0, set.code(), set.err());
        assertTrue(passwordIs("ada", "difference engine"));
        assertTrue(set.err().contains("user password set: username=\"ada\""), set.err());

        Run upd = cli("analytical engine\n", "user", "update", "ada", "--password-stdin", "--email", "ada@example.com");
        assertEquals(0, upd.code(), upd.err());
        assertTrue(passwordIs("ada", "analytical engine"));
        assertTrue(upd.err().contains("user updated (email): username=\"ada\""), upd.err());
        assertTrue(upd.err().contains("user password set: username=\"ada\""), upd.err());
        Run shortPw = cli("short\n", "user", "update", "ada", "--password-stdin", "--name", "Not Changed");
        assertEquals(2, shortPw.code());
        assertFalse(cli("", "user", "show", "ada").out().contains("Not Changed"), "a refused password changes nothing");

        Run argv = cli("", "user", "set-password", "ada", "--password", "on the command line");
        assertEquals(0, argv.code(), argv.err());
        assertTrue(argv.err().contains("gatehouse: warning: --password puts the password in the process list and shell "
                + "history; use --password-stdin"), argv.err());
        assertTrue(passwordIs("ada", "on the command line"));

        Run rm = cli("", "user", "remove", "ada");
        assertTrue(rm.err().contains("user removed: username=\"ada\" user_id=\"u_"), rm.err());
    }

    @Test
    void userAddWhenNoPasswordAndNoTerminalThenClearErrorNamingTheOptions() {
        Run r = cli("", "user", "add", "bob");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no password given and no terminal to prompt on"), r.err());
        assertTrue(r.err().contains("--password-stdin"), r.err());
        assertEquals(2, cli("", "user", "set-password", "bob").code());
        Run empty = cli("\n", "user", "add", "bob", "--password-stdin");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("--password-stdin: standard input holds no password"), empty.err());
        assertEquals("", cli("", "user", "list").out());
    }

    @Test
    void userAddWhenTerminalThenAskedTwiceAndMismatchRefused() throws Exception {
        FakeTerminal mismatch = new FakeTerminal("first password", "other password");
        SecretInput.terminal = () -> mismatch;
        Run r = cli("", "user", "add", "carol");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the passwords do not match"), r.err());
        assertEquals(List.of("Password (input hidden): ", "Repeat password: "), mismatch.prompts);
        SecretInput.terminal = () -> new FakeTerminal("same password", "same password");
        assertEquals(0, cli("", "user", "add", "carol").code());
        assertTrue(passwordIs("carol", "same password"));
        SecretInput.terminal = () -> new FakeTerminal();  // end of input at the prompt
        Run eof = cli("", "user", "set-password", "carol");
        assertEquals(2, eof.code());
        assertTrue(eof.err().contains("no password read"), eof.err());
    }

    @Test
    void readStdinWhenNotUtf8ThenRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SecretInput.readStdin(new ByteArrayInputStream(new byte[]{(byte) 0xff, 'a', '\n'}), "secret"));
        assertEquals("--secret-stdin: the secret is not valid UTF-8", e.getMessage());
        assertEquals("pässwörd", SecretInput.readStdin(new ByteArrayInputStream("pässwörd\n".getBytes(StandardCharsets.UTF_8)),
                "password"));
    }

    /** The point of --secret-stdin: while the CLI runs, its command line (what ps shows) holds no secret. */
    @Test
    void secretStdinWhenProcessWaitsOnStdinThenSecretNotInItsCommandLine() throws Exception {
        String secret = "ps-must-not-show-" + System.nanoTime();
        List<String> cmd = ServerProcess.java();
        cmd.addAll(List.of("-XX:+UseSerialGC", "io.gatehouse.Main", "client", "add", "svc", "--secret-stdin",
                "--data", data.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            Thread.sleep(1500);  // started and (soon) blocked reading standard input
            assertTrue(p.isAlive(), "waits for the secret on standard input");
            // What ps shows: /proc/PID/cmdline (ProcessHandle.Info may leave the arguments out of a long command line).
            Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
            List<String> argv = Files.isReadable(proc)
                    ? List.of(Files.readString(proc, StandardCharsets.UTF_8).split("\u0000"))
                    : List.of(p.info().arguments().orElseThrow(() -> new IllegalStateException("no command line to check")));
            assertTrue(argv.contains("--secret-stdin"), "the command line is visible: " + argv);
            assertFalse(String.join(" ", argv).contains(secret));
            assertFalse(String.join(" ", p.info().arguments().orElse(new String[0])).contains(secret));
            try (OutputStream in = p.getOutputStream()) {
                in.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            assertFalse(output.contains(secret), output);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(clientSecretIs("svc", secret));
    }

    /** The real prompt on a pseudo-terminal (util-linux script); skipped where there is none. */
    @Test
    void userAddWhenRealTerminalThenPromptsTwiceWithoutEcho() throws Exception {
        Optional<Path> script = Optional.of(Path.of("/usr/bin/script")).filter(Files::isExecutable);
        Assumptions.assumeTrue(script.isPresent(), "no script(1) to run the CLI on a pseudo-terminal");
        List<String> java = ServerProcess.java();
        java.addAll(List.of("-XX:+UseSerialGC", "io.gatehouse.Main", "user", "add", "dora", "--data", data.toString()));
        StringBuilder line = new StringBuilder("exec");
        for (String a : java) line.append(" '").append(a.replace("'", "'\\''")).append('\'');
        Process p = new ProcessBuilder(script.get().toString(), "-qec", line.toString(), "/dev/null")
                .redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                for (int n; (n = in.read(b)) > 0; ) out.append(new String(b, 0, n, StandardCharsets.UTF_8));
            } catch (Exception e) {
                // process gone
            }
        });
        try {
            OutputStream in = p.getOutputStream();
            waitFor(out, "Password (input hidden): ", p);
            in.write("typed on a tty\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            waitFor(out, "Repeat password: ", p);
            in.write("typed on a tty\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.toString());
            pump.join(5000);
            assertEquals(0, p.exitValue(), out.toString());
            assertTrue(out.toString().contains("user dora added"), out.toString());
            assertFalse(out.toString().contains("typed on a tty"), "no echo: " + out);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(passwordIs("dora", "typed on a tty"));
    }

    private static void waitFor(StringBuffer out, String text, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline || !p.isAlive()) fail("no '" + text + "' in: " + out);
            Thread.sleep(20);
        }
    }
}
