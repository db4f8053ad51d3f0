package io.gatehouse.store.jdbc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.Gatehouse;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PostgreSQL stops under load, then comes back (on a throwaway cluster of this class's own, started with
 * {@code bin/pg-cluster.sh}). While it is down, every request that needs the database answers 503 with
 * {@code Retry-After} in its endpoint's or dialect's own shape, within a bound, never a 500 and never a stack trace
 * (in the body or in the log); JWKS and discovery keep answering. Once it is back, Gatehouse recovers by itself,
 * and every token and revocation acknowledged before, during and after the outage holds. Once with a fast
 * shutdown ({@code pg_ctl stop -m fast}: sessions are told and closed), once with an immediate one (like a crash).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgOutageTest {
    static final String OPAQUE = "outage-opaque";
    static final String JWT = "outage-jwt";
    static final String SECRET = "outage-s3cret";
    /** Hang detection: no answer may take this long (the design target while the database is down is 3-5 s). */
    static final Duration REQUEST_BOUND = Duration.ofSeconds(10);
    /** Hang detection: a token request must succeed this soon after PostgreSQL is back (target: 5 s). */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);
    static final int LOAD_THREADS = 4;

    static Path clusterDir;
    static Path dataDir;
    static Gatehouse server;
    static String base;
    static final LogCapture log = new LogCapture();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    /** Every token the server acknowledged (200), with the client it was issued to. */
    static final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** Tokens whose revocation was acknowledged (200). */
    static final Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Tokens whose revocation got no acknowledgement (503 or no answer): either state is right. */
    static final Set<String> revocationUnknown = ConcurrentHashMap.newKeySet();
    /** The slowest answers of the current outage phase (load and probes), from {@link #send}. */
    static final AtomicReference<Answer> slowest503 = new AtomicReference<>();
    static final AtomicReference<Answer> slowestAny = new AtomicReference<>();
    /** What each phase measured, printed again at the end. */
    static final List<String> report = new ArrayList<>();
    static Process watchdog;

    @BeforeAll
    static void start() throws Exception {
        // In the system temp directory, not under target/: the unix socket path (DIR/sock/...) must stay short, and
        // the cluster's owner (postgres, when the tests run as root) must reach it even when the checkout is in a
        // directory closed to other users.
        clusterDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gatehouse-pg");
        Map<String, String> env = startCluster(clusterDir);
        watchdog = watchdog(clusterDir);
        String url = env.get("GATEHOUSE_TEST_PG_URL");
        String user = env.get("GATEHOUSE_TEST_PG_USER");
        String password = env.get("GATEHOUSE_TEST_PG_PASSWORD");
        assertNotNull(url, "pg-cluster.sh start printed no URL: " + env);
        // pg-cluster.sh turns synchronous_commit off (a throwaway cluster); an immediate shutdown could then lose
        // commits PostgreSQL had already acknowledged. Production runs with it on (docs/storage.md): so does this test.
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("alter database gatehouse set synchronous_commit = on");
        }
        dataDir = TestDb.tempDir("pg-outage-data");
        DatabaseSettings settings = new DatabaseSettings(Optional.of(url), Optional.of(user), Optional.of(password), 8,
                dataDir, Durability.FULL, false);
        try (Database db = Database.open(settings, Database.Role.CLI)) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            ClientAdmin admin = new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(),
                    new SecureRandom());
            // A resource server as well: it introspects the JWT client's tokens too.
            admin.add(OPAQUE, Optional.of(SECRET), false, b -> b.tokenFormat(TokenFormat.OPAQUE).resourceServer(true));
            admin.add(JWT, Optional.of(SECRET), false, b -> b.scope(Scope.of("all")));
        }
        log.start();
        server = Gatehouse.start(TestDb.withTestKek(ServerConfig.forTest(dataDir).withDatabase(settings)), Clock.systemUTC());
        base = server.issuer();
    }

    @AfterAll
    static void stop() {
        log.stop();
        try {
            if (server != null) server.close();
        } finally {
            if (clusterDir != null) cluster("destroy", clusterDir, Duration.ofSeconds(60));
            if (watchdog != null) watchdog.destroy();
            if (dataDir != null) TestDb.deleteTree(dataDir);
        }
        report.forEach(System.out::println);
    }

    @Test
    @Order(1)
    void fastShutdownUnderLoadThen503sAndRecoveryWithNothingLost() throws Exception {
        outage("stop");
    }

    @Test
    @Order(2)
    void immediateShutdownUnderLoadThen503sAndRecoveryWithNothingLost() throws Exception {
        outage("kill");
    }

    /** One outage: load, PostgreSQL down (how: pg-cluster.sh stop or kill), probes, resume, recovery, checks. */
    void outage(String how) throws Exception {
        log.clear();
        slowest503.set(null);
        slowestAny.set(null);
        int before = acknowledged.size();
        try (Load load = new Load(LOAD_THREADS)) {
            load.awaitAcknowledged(20);
            String probeToken = token(OPAQUE);  // revoked by a probe while PostgreSQL is down: its state stays unknown
            revocationUnknown.add(probeToken);
            int beforeOutage = acknowledged.size();

            cluster(how, clusterDir, Duration.ofSeconds(60));
            long down = System.nanoTime();
            int ackedBeforeDown = load.ok.get();
            List<String> problems = new ArrayList<>();
            for (int round = 0; round < 2; round++) problems.addAll(probeWhileDown(probeToken, round == 0));
            long downFor = System.nanoTime() - down;

            cluster("resume", clusterDir, Duration.ofSeconds(60));
            long up = System.nanoTime();
            long recovered = awaitRecovery(up);
            int ackedAtRecovery = load.ok.get();
            load.awaitAcknowledged(ackedAtRecovery + 20);

            load.stop();
            problems.addAll(load.violations);
            assertEquals(List.of(), problems, "answers while PostgreSQL was down or coming back (" + how + ")");
            assertTrue(load.unavailable.get() > 0, "the load saw no 503: was PostgreSQL really down?");
            String line = String.format("PgOutageTest[%s]: down %.1f s; load %d ok (%d from the stop to the recovery), "
                            + "%d x 503; slowest 503 %d ms (%s), slowest answer %d ms; token 200 again %d ms after the resume",
                    how, downFor / 1e9, load.ok.get(), ackedAtRecovery - ackedBeforeDown, load.unavailable.get(),
                    slowest503.get().nanos / 1_000_000, slowest503.get().what, slowestAny.get().nanos / 1_000_000,
                    TimeUnit.NANOSECONDS.toMillis(recovered));
            report.add(line);
            System.out.println(line);
            assertTrue(slowestAny.get().nanos < REQUEST_BOUND.toNanos(), "slowest answer: " + slowestAny.get());
            assertTrue(acknowledged.size() > beforeOutage, "tokens were acknowledged after the outage");
        }
        assertTrue(acknowledged.size() > before);
        verifyLedger();
        log.assertNoStackTraces();
    }

    /** Every endpoint while PostgreSQL is down, concurrently; @return what was wrong */
    List<String> probeWhileDown(String someToken, boolean show) throws Exception {
        Map<String, Supplier<List<String>>> probes = new HashMap<>();
        probes.put("standard token", () -> {
            Answer a = shown(show, form("/oauth2/token", "grant_type=client_credentials", TestServer.basic(OPAQUE, SECRET)));
            return standard503(a);
        });
        probes.put("standard token (JWT client)", () -> standard503(shown(show, form("/oauth2/token",
                "grant_type=client_credentials", TestServer.basic(JWT, SECRET)))));
        probes.put("app-key token", () -> {
            Answer a = shown(show, json("/oauth/token/get", "{\"app_id\":\"" + JWT + "\",\"app_secret\":\"" + SECRET + "\"}"));
            List<String> p = unavailable(a, "application/json");
            JsonNode b = a.json();
            if (b == null || b.path("statusCode").asInt() != 503 || !b.has("errMsg") || !b.path("accessToken").isNull()) {
                p.add("app-key 503 envelope: " + a);
            }
            return p;
        });
        probes.put("json-client-credentials token", () -> {
            Answer a = shown(show, json("/v1/api/oauth/token", "{\"grant_type\":\"client_credentials\",\"scope\":\"all\","
                    + "\"client_id\":\"" + JWT + "\",\"client_secret\":\"" + SECRET + "\"}"));
            List<String> p = unavailable(a, "application/json");
            JsonNode b = a.json();
            if (b == null || !b.isArray() || b.size() != 1 || b.get(0).path("status").asInt() != 503
                    || !b.get(0).path("errorCode").asText().equals("240503")) {
                p.add("json-client-credentials 503 problem array: " + a);
            }
            return p;
        });
        probes.put("introspection", () -> standard503(shown(show, form("/oauth2/introspect", "token=" + enc(someToken),
                TestServer.basic(OPAQUE, SECRET)))));
        probes.put("revocation", () -> standard503(shown(show, form("/oauth2/revoke", "token=" + enc(someToken),
                TestServer.basic(OPAQUE, SECRET)))));
        probes.put("authorize page", () -> {
            Answer a = shown(show, get("/oauth2/authorize?response_type=code&client_id=" + OPAQUE
                    + "&redirect_uri=" + enc("https://app.example/cb") + "&scope=openid&state=s1"));
            List<String> p = unavailable(a, "text/html");
            if (!a.body.contains("Temporarily unavailable")) p.add("authorize 503 page: " + a);
            return p;
        });
        probes.put("jwks", () -> {
            Answer a = shown(show, get("/jwks"));
            return a.status == 200 && a.json() != null && a.json().path("keys").size() > 0 ? List.of() : List.of("jwks: " + a);
        });
        probes.put("discovery", () -> {
            Answer a = shown(show, get("/.well-known/openid-configuration"));
            return a.status == 200 && a.json() != null && base.equals(a.json().path("issuer").asText())
                    ? List.of() : List.of("discovery: " + a);
        });
        List<String> problems = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<List<String>>> running = new HashMap<>();
            probes.forEach((name, probe) -> running.put(name, pool.submit(probe::get)));
            for (var e : running.entrySet()) {
                try {
                    problems.addAll(e.getValue().get(REQUEST_BOUND.toSeconds() + 20, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException x) {
                    problems.add(e.getKey() + ": " + x.getCause());
                }
            }
        }
        return problems;
    }

    /** {@link #send}, and print the answer (status, Retry-After, body) when {@code show}. */
    static Answer shown(boolean show, HttpRequest.Builder b) {
        Answer a = send(b);
        if (show) {
            System.out.println("PgOutageTest probe: " + a.what + " -> " + a.status + " in " + a.nanos / 1_000_000
                    + " ms, Retry-After " + a.header("Retry-After").orElse("-") + ", "
                    + a.header("Content-Type").orElse("-") + ": "
                    + (a.body.length() > 300 ? a.body.substring(0, 300) + "..." : a.body));
        }
        return a;
    }

    /** Polls token requests after the resume until one is issued; @return nanoseconds from {@code up} to it */
    long awaitRecovery(long up) throws InterruptedException {
        long deadline = up + RECOVERY_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Answer a = send(form("/oauth2/token", "grant_type=client_credentials", TestServer.basic(OPAQUE, SECRET)));
            if (a.status == 200) {
                acknowledged.put(a.json().path("access_token").asText(), OPAQUE);
                return System.nanoTime() - up;
            }
            if (a.status != 503) fail("after the resume: " + a);
            Thread.sleep(100);
        }
        return fail("no token within " + RECOVERY_BOUND.toSeconds() + " s of PostgreSQL coming back");
    }

    /** Introspects every acknowledged token: active unless its revocation was acknowledged. */
    static void verifyLedger() throws Exception {
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger checked = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (var e : Map.copyOf(acknowledged).entrySet()) {
                String t = e.getKey();
                if (revocationUnknown.contains(t)) continue;
                pool.submit(() -> {
                    Answer a = send(form("/oauth2/introspect", "token=" + enc(t), TestServer.basic(OPAQUE, SECRET)));
                    boolean expected = !revoked.contains(t);
                    if (a.status != 200 || a.json() == null || a.json().path("active").asBoolean() != expected) {
                        problems.add(e.getValue() + " token " + (expected ? "acknowledged" : "revoked") + " but: " + a);
                    }
                    checked.incrementAndGet();
                });
            }
        }
        assertEquals(List.of(), List.copyOf(problems), "tokens after the outage");
        assertTrue(checked.get() > 0);
        System.out.println("PgOutageTest: " + checked.get() + " acknowledged tokens introspected, " + revoked.size()
                + " of them revoked with an acknowledgement; " + revocationUnknown.size() + " unacknowledged revocations left out");
    }

    /** A client_credentials token that must be issued. */
    static String token(String client) {
        Answer a = send(form("/oauth2/token", "grant_type=client_credentials", TestServer.basic(client, SECRET)));
        assertEquals(200, a.status, a.toString());
        String t = a.json().path("access_token").asText();
        acknowledged.put(t, client);
        return t;
    }

    /** Client-credentials tokens, introspections and revocations on a few threads, checking every answer. */
    static final class Load implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        Load(int n) {
            for (int i = 0; i < n; i++) {
                String client = i % 2 == 0 ? OPAQUE : JWT;
                threads.add(Thread.ofPlatform().daemon().name("outage-load-" + i).start(() -> run(client)));
            }
        }

        private void run(String client) {
            int n = 0;
            while (!stopped) {
                n++;
                Answer a = check("token", send(form("/oauth2/token", "grant_type=client_credentials",
                        TestServer.basic(client, SECRET))));
                if (a.status == 503) {
                    pause();
                    continue;
                }
                if (a.status != 200) continue;
                String t = a.json().path("access_token").asText();
                acknowledged.put(t, client);
                ok.incrementAndGet();
                if (n % 4 == 0) {
                    Answer r = check("revocation", send(form("/oauth2/revoke", "token=" + enc(t),
                            TestServer.basic(client, SECRET))));
                    if (r.status == 200) revoked.add(t);
                    else revocationUnknown.add(t);
                } else if (n % 4 == 2) {
                    Answer r = check("introspection", send(form("/oauth2/introspect", "token=" + enc(t),
                            TestServer.basic(OPAQUE, SECRET))));
                    if (r.status == 200 && !r.json().path("active").asBoolean()) {
                        violations.add("introspection of a token just issued: " + r);
                    }
                }
            }
        }

        /** Records what is wrong with an answer under load: only 200 or a proper 503, within the bound. */
        private Answer check(String what, Answer a) {
            if (a.nanos > REQUEST_BOUND.toNanos()) violations.add(what + " took " + a.nanos / 1_000_000 + " ms: " + a);
            if (a.status == 503) {
                unavailable.incrementAndGet();
                List<String> p = standard503(a);
                violations.addAll(p.stream().map(s -> what + ": " + s).toList());
            } else if (a.status != 200) {
                violations.add(what + ": " + a);
            }
            return a;
        }

        private void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits (at most 30 s) until this load has had {@code n} tokens acknowledged. */
        void awaitAcknowledged(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ok.get() < n) {
                if (System.nanoTime() > deadline) fail("the load got only " + ok.get() + " tokens: " + violations);
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(REQUEST_BOUND.toSeconds() + 20));
                if (t.isAlive()) violations.add(t.getName() + " did not finish (a request hangs)");
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (!stopped) stop();
        }
    }

    // ---- answers ----

    record Answer(String what, int status, Map<String, List<String>> headers, String body, long nanos) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        static Answer slower(Answer a, Answer b) {
            return a == null || b.nanos > a.nanos ? b : a;
        }

        JsonNode json() {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return what + " -> " + status + " in " + nanos / 1_000_000 + " ms " + headers + " "
                    + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
        }
    }

    /** 503 with {"error":"temporarily_unavailable"} (the standard shape), Retry-After, no trace. */
    static List<String> standard503(Answer a) {
        List<String> p = unavailable(a, "application/json");
        JsonNode b = a.json();
        if (b == null || !"temporarily_unavailable".equals(b.path("error").asText())) p.add("standard 503 body: " + a);
        return p;
    }

    /** What every answer needing the database gets while it is down. */
    static List<String> unavailable(Answer a, String mediaType) {
        List<String> p = new ArrayList<>();
        if (a.status != 503) {
            p.add("expected 503: " + a);
            return p;
        }
        if (a.header("Retry-After").filter(v -> v.matches("[1-9][0-9]*")).isEmpty()) p.add("no Retry-After: " + a);
        if (!a.header("Content-Type").orElse("").startsWith(mediaType)) p.add("not " + mediaType + ": " + a);
        if (a.nanos > REQUEST_BOUND.toNanos()) p.add("took " + a.nanos / 1_000_000 + " ms: " + a);
        if (hasTrace(a.body)) p.add("stack trace or driver text in the body: " + a);
        return p;
    }

    static boolean hasTrace(String body) {
        return body.contains("Exception") || body.contains("\tat ") || body.contains("org.postgresql")
                || body.contains("com.zaxxer") || body.contains("SQL") || body.contains("PSQL");
    }

    static HttpRequest.Builder form(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    static HttpRequest.Builder json(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).GET();
    }

    /** Sends with a hang bound well above {@link #REQUEST_BOUND}; a failure to answer is an answer of status -1. */
    static Answer send(HttpRequest.Builder b) {
        HttpRequest req = b.timeout(REQUEST_BOUND.plusSeconds(20)).build();
        String what = req.method() + " " + req.uri().getPath();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            Answer a = new Answer(what, r.statusCode(), r.headers().map(), r.body(), System.nanoTime() - t0);
            slowestAny.accumulateAndGet(a, Answer::slower);
            if (a.status == 503) slowest503.accumulateAndGet(a, Answer::slower);
            return a;
        } catch (IOException e) {
            return new Answer(what, -1, Map.of(), e.toString(), System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(what, -1, Map.of(), e.toString(), System.nanoTime() - t0);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- the cluster ----

    /**
     * {@code pg-cluster.sh start DIR}: @return the GATEHOUSE_TEST_PG_* lines it printed. Without PostgreSQL binaries
     * (exit 3) the test is skipped, except on CI with PostgreSQL installed (as {@link TestDb#postgres()}).
     */
    static Map<String, String> startCluster(Path dir) {
        Result r = run("start", dir, Duration.ofMinutes(15));  // may install the binaries first (apt-get)
        if (r.exit == 3) {
            if (System.getenv("CI") != null && TestDb.postgresInstalled()) {
                throw new AssertionError("pg-cluster.sh found no PostgreSQL binaries although they are installed "
                        + "and CI is set: " + r.err);
            }
            Assumptions.abort("no PostgreSQL server binaries: outage test skipped (" + r.err.strip() + ")");
        }
        if (r.exit != 0) throw new AssertionError("pg-cluster.sh start failed (" + r.exit + "): " + r.err);
        Map<String, String> env = new HashMap<>();
        for (String line : r.out.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("GATEHOUSE_TEST_PG_") && eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        return env;
    }

    /** Destroys the cluster should this JVM die before {@link #stop()} (killed by a timeout, say). */
    static Process watchdog(Path dir) throws IOException {
        return new ProcessBuilder("bash", "-c", "while kill -0 " + ProcessHandle.current().pid()
                + " 2>/dev/null; do sleep 2; done; exec bin/pg-cluster.sh destroy \"$0\"", dir.toString())
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void cluster(String command, Path dir, Duration bound) {
        Result r = run(command, dir, bound);
        if (r.exit != 0) throw new AssertionError("pg-cluster.sh " + command + " failed (" + r.exit + "): " + r.err);
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String command, Path dir, Duration bound) {
        try {
            Path out = Files.createTempFile(Files.createDirectories(Path.of("target", "tmp")), "pg-cluster", ".out");
            Path err = Files.createTempFile(out.getParent(), "pg-cluster", ".err");
            try {
                Process p = new ProcessBuilder("bin/pg-cluster.sh", command, dir.toString())
                        .directory(Path.of("").toAbsolutePath().toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("pg-cluster.sh " + command + " did not finish in " + bound.toSeconds() + " s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the log ----

    /** Everything logged at WARN or above while the test runs (the server runs in this JVM). */
    static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) events.add(e);
        }

        @Override
        public void start() {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(ctx);
            setName("pg-outage-capture");
            super.start();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        @Override
        public void stop() {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .detachAppender(this);
            super.stop();
        }

        void clear() {
            events.clear();
        }

        /** No ERROR line (the 500 path) and no line with a stack trace; the rate-limited WARN lines are printed. */
        void assertNoStackTraces() {
            List<String> bad = new ArrayList<>();
            for (ILoggingEvent e : events) {
                String line = e.getLevel() + " " + e.getLoggerName() + " [" + e.getThreadName() + "] - "
                        + e.getFormattedMessage();
                System.out.println("PgOutageTest log: " + line
                        + (e.getThrowableProxy() == null ? "" : " + stack trace of " + e.getThrowableProxy().getClassName()));
                if (e.getLevel() == Level.ERROR || e.getThrowableProxy() != null) bad.add(line);
            }
            assertEquals(List.of(), bad, "log lines with an error or a stack trace during the outage");
        }
    }
}
