package io.gatehouse.admin;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the CLI takes client secrets and passwords from, best first: standard input ({@code --secret-stdin},
 * {@code --password-stdin}: one line, its line break not part of it), a prompt without echo when a terminal is
 * attached, or the command line ({@code --secret S}, {@code --password P}: still accepted for old scripts, with a
 * warning, because every local user sees it in {@code ps} and it stays in the shell history).
 */
final class SecretInput {
    /** At most this many bytes are read from standard input for one secret (longer ones are refused). */
    static final int MAX_STDIN_BYTES = 8192;

    /** The terminal to prompt on; null when none is attached. Replaceable by tests. */
    interface Terminal {
        /** @return the line typed, without echo; null at end of input */
        char[] readHidden(String prompt);
    }

    static volatile java.util.function.Supplier<Terminal> terminal = SecretInput::systemTerminal;

    private SecretInput() {
    }

    static Terminal systemTerminal() {
        Console c = System.console();
        if (c == null || !c.isTerminal()) return null;
        return prompt -> c.readPassword("%s", prompt);
    }

    static String argvWarning(String name) {
        return "gatehouse: warning: --" + name + " puts the " + name + " in the process list and shell history; use --"
                + name + "-stdin";
    }

    /**
     * The secret given by {@code --NAME V} (with a warning on standard error) or {@code --NAME-stdin}; empty when
     * neither was given.
     *
     * @param name "secret" or "password"
     */
    static Optional<String> given(String argv, boolean stdin, String name) {
        if (argv != null && stdin) throw new IllegalArgumentException("give --" + name + " or --" + name + "-stdin, not both");
        if (argv != null) {
            System.err.println(argvWarning(name));
            return Optional.of(argv);
        }
        if (stdin) return Optional.of(readStdin(System.in, name));
        return Optional.empty();
    }

    /**
     * The new client's secret when none was given: typed at a prompt on a terminal (empty generates one), else
     * generated. @return empty to generate one
     */
    static Optional<String> promptClientSecret() {
        Terminal t = terminal.get();
        if (t == null) return Optional.empty();
        char[] typed = t.readHidden("Client secret (input hidden; empty to generate one): ");
        if (typed == null) throw new IllegalArgumentException("no secret read (end of input)");
        try {
            return typed.length == 0 ? Optional.empty() : Optional.of(new String(typed));
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /** A password given by flag, else typed twice at a prompt; without either, a refusal naming the ways to give it. */
    static String password(String argv, boolean stdin, String usage) {
        Optional<String> given = given(argv, stdin, "password");
        if (given.isPresent()) return given.get();
        Terminal t = terminal.get();
        if (t == null) {
            throw new IllegalArgumentException("no password given and no terminal to prompt on: pipe it in with "
                    + "--password-stdin (printf '%s' \"$PASSWORD\" | gatehouse " + usage + " --password-stdin), "
                    + "or run the command in a terminal to be prompted");
        }
        char[] a = t.readHidden("Password (input hidden): ");
        char[] b = a == null ? null : t.readHidden("Repeat password: ");
        try {
            if (a == null || b == null) throw new IllegalArgumentException("no password read (end of input)");
            if (!Arrays.equals(a, b)) throw new IllegalArgumentException("the passwords do not match");
            return new String(a);
        } finally {
            if (a != null) Arrays.fill(a, '\0');
            if (b != null) Arrays.fill(b, '\0');
        }
    }

    /**
     * One line from {@code in}: up to the first LF (a CR before it is dropped too) or the end of input, strict UTF-8,
     * at most {@link #MAX_STDIN_BYTES} bytes, not empty.
     */
    static String readStdin(InputStream in, String name) {
        String flag = "--" + name + "-stdin";
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        try {
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                if (buf.size() >= MAX_STDIN_BYTES) {
                    throw new IllegalArgumentException(flag + ": more than " + MAX_STDIN_BYTES + " bytes before the line break");
                }
                buf.write(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
        byte[] bytes = buf.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') n--;
        try {
            if (n == 0) throw new IllegalArgumentException(flag + ": standard input holds no " + name + " (an empty line or nothing)");
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(flag + ": the " + name + " is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
