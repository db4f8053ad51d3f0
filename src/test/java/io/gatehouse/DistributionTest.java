package io.gatehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher as a new user meets it, and the self-contained distribution it builds.
 * <ul>
 *   <li>{@code ./gatehouse --version} on a fresh build directory (a first run: it builds and trains the start-up cache;
 *       the local Maven repository is reused) prints only {@code gatehouse: ...} progress lines and the version: no
 *       {@code [ERROR]} or {@code [WARNING]} lines. A build that really fails prints Maven's output and a one-line hint.</li>
 *   <li>{@code ./gatehouse dist} on that build directory makes {@code gatehouse-VERSION-linux-x64.tar.gz}; unpacked into
 *       an empty directory it serves tokens with a {@code PATH} that holds no {@code java} and no {@code JAVA_HOME},
 *       its CLI adds a client (secret on stdin), a user, lists keys and writes a backup, and both start-up caches are
 *       accepted by the bundled runtime at the new place ({@code -XX:AOTMode=on} makes a cache that does not fit fatal).</li>
 *   <li>The systemd unit passes {@code systemd-analyze verify} where that tool exists (skipped otherwise).</li>
 * </ul>
 * Slow (about two minutes on two cores: a build, jlink, two training runs, the tarball). {@code GATEHOUSE_TEST_DIST=off}
 * skips it.
 */
class DistributionTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path BUILD = Path.of(System.getProperty("build.dir", "target")).toAbsolutePath().resolve("dist-check");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STALE_JAR = "removed-dependency-0.1.jar";

    @TempDir
    static Path tmp;
    static Result firstRun;
    static Result dist;
    static Path tarball;
    static Path home;   // the unpacked gatehouse-VERSION directory

    @BeforeAll
    static void buildTheDistributionOnAFreshBuildDirectory() throws Exception {
        assumeFalse("off".equals(System.getenv("GATEHOUSE_TEST_DIST")), "GATEHOUSE_TEST_DIST=off");
        deleteTree(BUILD);
        long t0 = System.nanoTime();
        firstRun = launcher(BUILD, "--version");
        long t1 = System.nanoTime();
        // what an old build directory holds: the jar of a dependency removed since (dist must not ship it)
        if (Files.isDirectory(BUILD.resolve("lib"))) {
            try (Stream<Path> jars = Files.list(BUILD.resolve("lib"))) {
                Path any = jars.filter(p -> p.getFileName().toString().startsWith("picocli-")).findFirst().orElseThrow();
                Files.copy(any, BUILD.resolve("lib/" + STALE_JAR));
            }
        }
        dist = launcher(BUILD, "dist");
        long t2 = System.nanoTime();
        System.out.printf("first build %d s, dist %d s%n", (t1 - t0) / 1_000_000_000, (t2 - t1) / 1_000_000_000);
        assertEquals(0, firstRun.exit, firstRun.output);
        assertEquals(0, dist.exit, dist.output);
        String version = Files.readAllLines(BUILD.resolve("maven-archiver/pom.properties")).stream()
                .filter(l -> l.startsWith("version=")).findFirst().orElseThrow().substring("version=".length());
        tarball = BUILD.resolve("gatehouse-" + version + "-linux-" + arch() + ".tar.gz");
        assertTrue(Files.isRegularFile(tarball), dist.output);
        System.out.printf("%s: %.1f MB%n", tarball.getFileName(), Files.size(tarball) / 1e6);
        Path unpackDir = Files.createDirectory(tmp.resolve("opt"));
        Result untar = run(List.of("tar", "-C", unpackDir.toString(), "-xzf", tarball.toString()), Map.of("PATH", "/usr/bin:/bin"), null, null);
        assertEquals(0, untar.exit, untar.output);
        home = unpackDir.resolve("gatehouse-" + version);
    }

    @AfterAll
    static void removeTheStagingCopy() throws IOException {
        deleteTree(BUILD.resolve("dist"));  // the tarball and the build stay for a look; the unpacked copy is in it
    }

    @Test
    void firstRunPrintsOnlyProgressLinesAndTheVersion() throws IOException {
        List<String> lines = firstRun.output.lines().toList();
        for (String line : lines) {
            assertFalse(line.contains("[ERROR]") || line.contains("[WARNING]") || line.startsWith("WARNING"), firstRun.output);
            assertTrue(line.startsWith("gatehouse: ") || line.matches("gatehouse \\d+\\.\\d+\\.\\d+.*"),
                    "not a progress line: " + line + "\n" + firstRun.output);
        }
        assertEquals("gatehouse: building (first run or sources changed)...", lines.getFirst(), firstRun.output);
        assertTrue(lines.contains("gatehouse: training the start-up cache (once per build, ~10 s)..."), firstRun.output);
        assertTrue(lines.getLast().startsWith("gatehouse 0."), firstRun.output);
        assertTrue(Files.size(BUILD.resolve("gatehouse-serve.aot")) > 0, "no start-up cache");
    }

    @Test
    void buildFailurePrintsMavenOutputAndAOneLineHint() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");
        Result r = launcher(notADirectory.resolve("build"), "--version");
        assertEquals(1, r.exit, r.output);
        List<String> lines = r.output.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[ERROR]") && l.contains("a-file/build")), r.output);
        assertTrue(lines.getLast().startsWith("gatehouse: the build failed (Maven's output above): "), r.output);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("gatehouse: the build failed")).count(), r.output);
    }

    @Test
    void distPrintsProgressAndHoldsRuntimeAppCachesLauncherUnitAndConfig() throws IOException {
        for (String line : dist.output.lines().toList()) {
            assertTrue(line.startsWith("gatehouse: "), "not a progress line: " + line + "\n" + dist.output);
        }
        for (String f : List.of("bin/gatehouse", "runtime/bin/java", "app/gatehouse.jar", "app/native/libsqlitejdbc.so",
                "app/gatehouse-serve.aot", "app/gatehouse-cli.aot", "systemd/gatehouse.service", "etc/gatehouse.json",
                "README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/gatehouse")).contains(PosixFilePermission.OTHERS_EXECUTE));
        assertFalse(Files.exists(home.resolve("runtime/bin/javac")), "a runtime, not a JDK");
        String release = Files.readString(home.resolve("runtime/release"));
        assertTrue(release.contains("JAVA_VERSION=\"25"), release);
        for (String m : List.of("java.sql", "java.naming", "jdk.management", "jdk.unsupported")) {
            assertTrue(release.contains(" " + m + " ") || release.contains(" " + m + "\""), m + " missing: " + release);
        }
        for (String m : List.of("java.desktop", "jdk.compiler", "jdk.jshell")) {
            assertFalse(release.contains(m), m + " should not be linked: " + release);
        }
        String unit = Files.readString(home.resolve("systemd/gatehouse.service"));
        for (String line : List.of("User=gatehouse", "StateDirectory=gatehouse", "StateDirectoryMode=0700",
                "ExecStart=/opt/gatehouse/bin/gatehouse serve --config /etc/gatehouse/gatehouse.json", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes")) {
            assertTrue(unit.lines().anyMatch(line::equals), line);
        }
        assertTrue(unit.lines().anyMatch(l -> l.startsWith("MemoryMax=")), unit);
    }

    @Test
    void distShipsExactlyTheLibrariesTheJarNames() throws IOException {
        List<String> classPath;
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(home.resolve("app/gatehouse.jar").toFile())) {
            classPath = List.of(j.getManifest().getMainAttributes().getValue("Class-Path").trim().split(" +"));
        }
        List<String> shipped;
        try (Stream<Path> s = Files.list(home.resolve("app/lib"))) {
            shipped = s.map(p -> "lib/" + p.getFileName()).sorted().toList();
        }
        assertEquals(classPath.stream().sorted().toList(), shipped);
        assertTrue(Files.exists(BUILD.resolve("lib/" + STALE_JAR)), "the stale jar was planted");
    }

    @Test
    void librariesCarryNoSignaturesSoTheirClassesGoIntoTheStartUpCache() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path dir : List.of(BUILD.resolve("lib"), home.resolve("app/lib"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
            }
        }
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("bcprov-")), jars.toString());
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("AmazonCorrettoCryptoProvider-")),
                jars.toString());
        for (Path jar : jars) {
            try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
                assertTrue(j.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")), jar.toString());
                String name = jar.getFileName().toString();
                if (name.startsWith("bc") || name.startsWith("AmazonCorrettoCryptoProvider-")) {   // signed on Maven Central
                    assertTrue(j.getManifest().getEntries().isEmpty(), jar + ": per-entry digests left in the manifest");
                }
            }
        }
        // still a multi-release jar (Bouncy Castle has classes for newer JDKs under META-INF/versions)
        Path bcprov = jars.stream().filter(p -> p.getFileName().toString().startsWith("bcprov-")).findFirst().orElseThrow();
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(bcprov.toFile())) {
            assertEquals("true", j.getManifest().getMainAttributes().getValue("Multi-Release"));
        }
    }

    @Test
    void unpackedDistServesTokensAndRunsTheCliWithNoJavaOnPath() throws Exception {
        Path data = tmp.resolve("data");
        // The launcher needs /bin/sh (its #! line) and readlink; PATH holds nothing else, certainly no java.
        Path path = Files.createDirectory(tmp.resolve("path"));
        Path readlink = Stream.of("/usr/bin/readlink", "/bin/readlink").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElseThrow();
        Files.copy(readlink, path.resolve("readlink"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        // -XX:AOTMode=on: the JVM refuses to start when a start-up cache does not fit this runtime and place.
        Map<String, String> env = Map.of("PATH", path.toString(), "HOME", tmp.toString(), "JDK_JAVA_OPTIONS", "-XX:AOTMode=on");
        List<String> serve = List.of(home.resolve("bin/gatehouse").toString(), "serve", "--port", "0",
                "--management-port", "0", "--data", data.toString());
        Process server = start(serve, env);
        try {
            StringBuffer log = new StringBuffer();
            String base = awaitReady(server, log);
            Matcher mgmt = Pattern.compile("management listener at (http://\\S+)").matcher(log);
            assertTrue(mgmt.find(), log.toString());

            assertEquals(0, cli(env, "read-write-secret", "client", "add", "svc", "--secret-stdin", "--scope", "read write",
                    "--data", data.toString()).exit);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "svc:read-write-secret".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            JsonNode body = JSON.readTree(token.body());
            assertEquals("Bearer", body.get("token_type").asText());
            assertEquals("read write", body.get("scope").asText());
            assertEquals(3, body.get("access_token").asText().split("\\.").length, token.body());
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(mgmt.group(1) + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            // the unsigned Corretto Crypto Provider still loads its native library and comes first
            for (int i = 0; i < 100 && !log.toString().contains("crypto provider: "); i++) Thread.sleep(50);
            assertTrue(log.toString().contains("crypto provider: Amazon Corretto Crypto Provider"), log.toString());

            assertEquals(0, cli(env, "correct horse battery", "user", "add", "alice", "--password-stdin",
                    "--data", data.toString()).exit);
            Result keys = cli(env, null, "keys", "list", "--data", data.toString());
            assertTrue(keys.output.lines().anyMatch(l -> l.contains("\tRS256\tactive\t")), keys.output);
            Path backup = tmp.resolve("backup.db");
            assertEquals(0, cli(env, null, "backup", backup.toString(), "--data", data.toString()).exit);
            assertTrue(Files.size(backup) > 0);
            // The example config is valid (unknown keys would be refused); only its data directory is moved here.
            Path config = Files.writeString(tmp.resolve("gatehouse.json"), Files.readString(home.resolve("etc/gatehouse.json"))
                    .replace("/var/lib/gatehouse", data.toString()));
            Result list = cli(env, null, "client", "list", "--config", config.toString());
            assertTrue(list.output.contains("svc"), list.output);

            server.toHandle().destroy();  // SIGTERM
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGTERM");
            assertFalse(log.toString().contains("Exception"), log.toString());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void systemdUnitPassesSystemdAnalyzeVerify() throws IOException {
        Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(analyze != null, "systemd-analyze not installed: the unit file is not verified");
        // verify checks that ExecStart exists: point it at the unpacked copy instead of /opt/gatehouse.
        Path unit = Files.createDirectories(tmp.resolve("unit")).resolve("gatehouse.service");
        Files.writeString(unit, Files.readString(home.resolve("systemd/gatehouse.service")).replace("/opt/gatehouse", home.toString()));
        Result r = run(List.of(analyze.toString(), "verify", unit.toString()), Map.of("PATH", "/usr/bin:/bin"), null, null);
        assertEquals(0, r.exit, r.output);
        assertEquals("", r.output.strip(), "systemd-analyze verify found problems");
    }

    // --- helpers ---

    record Result(int exit, String output) {
    }

    /** {@code ./gatehouse ARGS} from the source tree with GATEHOUSE_BUILD_DIR=build (stdout and stderr together). */
    static Result launcher(Path build, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("gatehouse").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("GATEHOUSE_BUILD_DIR", build.toString()), null, System.getenv());
    }

    /** The unpacked distribution's CLI, with its standard input (a secret or password) given. */
    static Result cli(Map<String, String> env, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/gatehouse").toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, env, stdin, null);
        assertEquals(0, r.exit, String.join(" ", args) + ":\n" + r.output);
        return r;
    }

    /** Runs a command to completion (at most 10 minutes); the environment is exactly {@code base} (or empty) plus {@code env}. */
    static Result run(List<String> cmd, Map<String, String> env, String stdin, Map<String, String> base) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(ROOT.toFile());
        pb.environment().clear();
        if (base != null) base.forEach((k, v) -> {
            if (!k.startsWith("GATEHOUSE_")) pb.environment().put(k, v);
        });
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("did not finish in 10 minutes: " + cmd);
            }
            return new Result(p.exitValue(), out.get(1, TimeUnit.MINUTES));
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", cmd), e);
        }
    }

    static Process start(List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads the server's output until "Gatehouse ready at URL" (at most 60 s), then keeps collecting it. */
    static String awaitReady(Process p, StringBuffer log) throws Exception {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Pattern line = Pattern.compile("Gatehouse ready at (http://\\S+)");
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    log.append(l).append('\n');
                    Matcher m = line.matcher(l);
                    if (m.find()) ready.complete(m.group(1));
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("server exited:\n" + log));
        });
        pump.setDaemon(true);
        pump.start();
        return ready.get(60, TimeUnit.SECONDS);
    }

    static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") || a.equals("x86_64") ? "x64" : a;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
