package io.gatehouse.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A program a test runs beside Gatehouse (HAProxy, nginx), as bin/test-env.d installs it: {@link #find} locates and
 * checks the binary; {@link #start} runs it in the foreground as a child process, its output kept; {@link #close}
 * stops it and whatever it forked.
 */
public final class ExternalTool implements AutoCloseable {
    public final Process process;
    private final String name;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private ExternalTool(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * The binary: {@code envVariable} (set by bin/test-env.d/NAME.sh), else NAME on the PATH or in /usr/sbin, checked
     * by running it with {@code versionArgument} (its output must contain {@code versionText}). Skips the test
     * without one (or with the variable set to {@code off}), saying so; under CI an installed binary that does not
     * run fails the test instead, so that a broken setup cannot pass as skipped.
     */
    public static String find(String name, String envVariable, String versionArgument, String versionText) {
        String configured = System.getenv(envVariable);
        if ("off".equals(configured)) Assumptions.abort(envVariable + "=off: " + name + " test skipped");
        Optional<String> binary = Optional.ofNullable(configured).filter(s -> !s.isBlank()).or(() -> {
            List<Path> candidates = new ArrayList<>();
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty()) candidates.add(Path.of(dir, name));
            }
            candidates.add(Path.of("/usr/sbin", name));
            return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString);
        });
        if (binary.isEmpty()) {
            Assumptions.abort(name + " not found: " + name + " test skipped (./run-tests installs Debian's " + name
                    + " package with apt-get when it runs as root)");
        }
        String problem;
        try {
            Process p = new ProcessBuilder(binary.get(), versionArgument).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "did not answer " + versionArgument;
            } else {
                problem = p.exitValue() == 0 && out.contains(versionText) ? null
                        : versionArgument + " exited " + p.exitValue() + ": " + out;
            }
        } catch (IOException e) {
            problem = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (problem != null) {
            if (System.getenv("CI") != null) throw new AssertionError(name + " at " + binary.get() + " is broken: " + problem);
            Assumptions.abort(name + " at " + binary.get() + " does not work (" + problem + "): " + name + " test skipped");
        }
        return binary.get();
    }

    /** A free TCP port on the loopback address (for a program that must be told its port). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command} in the foreground (output and errors kept, and echoed as "NAME: line"). */
    public static ExternalTool start(String name, List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalTool t = new ExternalTool(name, p);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    t.log.add(line);
                    System.out.println(name + ": " + line);
                }
            } catch (IOException e) {
                // it is gone
            }
        }, name + "-log");
        pump.setDaemon(true);
        pump.start();
        return t;
    }

    /** Waits (at most 30 s) until the program accepts connections on 127.0.0.1:{@code port}. */
    public ExternalTool awaitListening(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited: " + output());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return this;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(name + " does not listen on " + port + ": " + output());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public String output() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** SIGTERM (a clean stop: nginx's master stops its workers), then SIGKILL for it and its children if need be. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
