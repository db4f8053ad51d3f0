package io.gatehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** `gatehouse serve` as a real OS process: ready line, SIGTERM, port taken, unusable data dir. */
class ServeCommandTest {
    @TempDir
    Path dir;

    static Process serve(String... args) throws IOException {
        List<String> cmd = io.gatehouse.testing.ServerProcess.java();
        cmd.addAll(List.of("io.gatehouse.Main", "serve"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().put("GATEHOUSE_MANAGEMENT_PORT", "0");  // tests run in parallel: not the fixed 9001
        return pb.start();
    }

    /** Reads output until the ready line; returns the URL. */
    static String awaitReady(Process p, StringBuilder log) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern ready = Pattern.compile("Gatehouse ready at (http://\\S+)");
        for (String line; (line = r.readLine()) != null; ) {
            log.append(line).append('\n');
            Matcher m = ready.matcher(line);
            if (m.find()) return m.group(1);
        }
        fail("server exited before ready:\n" + log);
        return null;
    }

    @Test
    void serveWhenStartedThenLogsReadyUrlAnswersAndStopsOnSigterm() throws Exception {
        Process p = serve("--port", "0", "--data", dir.resolve("data").toString());
        try {
            StringBuilder log = new StringBuilder();
            String url = awaitReady(p, log);
            assertTrue(log.toString().contains("crypto provider:"), log.toString());
            assertTrue(log.toString().contains("mounted dialect 'standard' at POST /oauth2/token"), log.toString());
            Matcher mgmt = Pattern.compile("management listener at (http://127\\.0\\.0\\.1:\\d+) \\(GET /health/live, "
                    + "/health/ready, /metrics\\)").matcher(log);
            assertTrue(mgmt.find(), log.toString());
            HttpResponse<String> live = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(mgmt.group(1) + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"status\":\"UP\"}", live.body());
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"issuer\":\"" + url + "\""), r.body());
            p.toHandle().destroy();  // SIGTERM, keeping our end of the pipes open
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "did not stop on SIGTERM");
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.contains("stopping"), rest);
            assertFalse(rest.contains("Exception"), rest);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void serveWhenPortTakenThenClearMessageAndExitCode() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process p = serve("--port", Integer.toString(taken.getLocalPort()), "--data", dir.resolve("d2").toString());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), out);
            assertFalse(out.contains("\tat "), out);
        }
    }

    @Test
    void serveWhenManagementPortTakenThenClearMessageAndExitCode() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process p = serve("--port", "0", "--management-port", Integer.toString(taken.getLocalPort()),
                    "--data", dir.resolve("d3").toString());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("management port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), out);
            assertTrue(out.contains("management-enabled: false"), "names the way out: " + out);
            assertFalse(out.contains("\tat "), out);
        }
    }

    @Test
    void serveWhenManagementDisabledThenNoManagementListener() throws Exception {
        Path cfg = Files.writeString(dir.resolve("no-mgmt.json"), "{\"management-enabled\": false}");
        Process p = serve("--port", "0", "--data", dir.resolve("d4").toString(), "--config", cfg.toString());
        try {
            StringBuilder log = new StringBuilder();
            String url = awaitReady(p, log);
            assertTrue(log.toString().contains("management listener off"), log.toString());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), "never on the public port");
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void serveWhenDataDirUnusableThenClearMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Process p = serve("--port", "0", "--data", file.toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("data directory " + file + " is not a writable directory"), out);
    }

    @Test
    void serveWhenConfigFileHasUnknownKeyThenRefused() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gatehouse.json"), "{\"prot\": 9000}");
        Process p = serve("--config", cfg.toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("unknown key 'prot'"), out);
    }

    @Test
    void serveWhenDataDirReadableByOthersThenRefusedUnlessAllowed() throws Exception {
        Path data = Files.createDirectories(dir.resolve("shared-data"));
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = serve("--port", "0", "--data", data.toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("other users can access " + data + " (mode 0755)"), out);
        assertTrue(out.contains("--allow-insecure-permissions"), out);

        Process allowed = serve("--port", "0", "--data", data.toString(), "--allow-insecure-permissions");
        try {
            StringBuilder log = new StringBuilder();
            awaitReady(allowed, log);
            assertTrue(log.toString().contains("WARN") && log.toString().contains("other users can access " + data), log.toString());
        } finally {
            allowed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void serveWhenStartedThenLogNamesDatabaseFileAndDurability() throws Exception {
        Path data = dir.resolve("data");
        Process p = serve("--port", "0", "--data", data.toString());
        try {
            StringBuilder log = new StringBuilder();
            awaitReady(p, log);
            assertTrue(log.toString().contains("database: SQLite 3.") && log.toString().contains(" at "
                    + data.resolve("gatehouse.db") + ", durability full (fsync at every commit)"), log.toString());
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
