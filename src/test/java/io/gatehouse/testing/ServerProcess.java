package io.gatehouse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gatehouse's CLI in a separate JVM ({@code java -cp <test classpath> io.gatehouse.Main ...}), as an operator runs
 * it: {@link #serve} waits for the "Gatehouse ready at URL" line and knows the bound port; {@link #kill} sends
 * SIGKILL. The child gets no GATEHOUSE_* variables from the test's environment except those passed in; its management
 * listener goes on a free port unless GATEHOUSE_MANAGEMENT_PORT is passed ({@link #management} is its URL).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Gatehouse ready at (https?://\\S+)");
    private static final Pattern MANAGEMENT = Pattern.compile("management listener at (http://\\S+)");

    public final Process process;
    public final String base;
    /** The management listener (GET /health/live, /health/ready, /metrics), or null when it is off. */
    public final String management;
    private final StringBuffer output;

    private ServerProcess(Process process, String base, StringBuffer output) {
        this.process = process;
        this.base = base;
        this.output = output;
        Matcher m = MANAGEMENT.matcher(output);  // logged before the ready line
        this.management = m.find() ? m.group(1) : null;
    }

    /** Starts {@code serve --port 0 args...} and waits (at most 60 s) until it is ready. */
    public static ServerProcess serve(Map<String, String> env, String... args) {
        return serve(env, 0, args);
    }

    /** Starts {@code serve --port PORT args...} (say, a node again on the port a load balancer knows). */
    public static ServerProcess serve(Map<String, String> env, int port, String... args) {
        return serve(List.of(), env, port, args);
    }

    /** Starts {@code serve --port PORT args...} in a JVM with extra flags (say, {@code -Xmx64m} as the launcher runs it). */
    public static ServerProcess serve(List<String> jvmFlags, Map<String, String> env, int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("serve", "--port", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = start(jvmFlags, env, cmd);
        StringBuffer out = new StringBuffer();
        CompletableFuture<String> ready = new CompletableFuture<>();
        pump(p.getErrorStream(), out, ready);
        pump(p.getInputStream(), out, null);
        p.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException("server exited: " + out)));
        try {
            return new ServerProcess(p, ready.get(60, TimeUnit.SECONDS), out);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new IllegalStateException("server did not start: " + out, e);
        }
    }

    /** Runs a CLI command to completion (at most 60 s). @return exit code and everything printed */
    public static Result run(Map<String, String> env, String... args) {
        Process p = start(List.of(), env, List.of(args));
        StringBuffer out = new StringBuffer();
        Thread err = pump(p.getErrorStream(), out, null);
        Thread std = pump(p.getInputStream(), out, null);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("CLI did not finish: " + out);
            }
            err.join(5000);
            std.join(5000);
            return new Result(p.exitValue(), out.toString());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String output) {
    }

    /** SIGKILL (on Linux), then waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("process did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    private static Process start(List<String> jvmFlags, Map<String, String> env, List<String> args) {
        List<String> cmd = java();
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xshare:auto"));
        cmd.addAll(jvmFlags);
        cmd.add("io.gatehouse.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("GATEHOUSE_MANAGEMENT_PORT", "0");  // never the fixed default: servers run in parallel
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code java} with this test run's class path, fast start-up flags, and the SQLite native library the build
     * unpacked (so that killed processes leave no extracted copy in /tmp); add JVM flags, then the main class.
     */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        for (String p : List.of("org.sqlite.lib.path", "org.sqlite.lib.name")) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        return cmd;
    }

    private static Thread pump(InputStream in, StringBuffer out, CompletableFuture<String> ready) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (ready != null && m.find()) ready.complete(m.group(1));
                }
            } catch (IOException e) {
                // the process died; what was read is kept
            }
        }, "server-process-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
