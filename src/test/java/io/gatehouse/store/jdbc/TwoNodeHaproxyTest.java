package io.gatehouse.store.jdbc;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.testing.ExternalTool;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The reference deployment for more than one machine (docs/storage.md, "Reference deployment: several nodes behind
 * HAProxy"): two `gatehouse serve` processes with the same issuer on one PostgreSQL schema, behind a real HAProxy
 * (Debian's package, from bin/test-env.d/haproxy.sh) that this test starts in the foreground on loopback with the
 * configuration the documentation shows. Node A is SIGKILLed while several threads take tokens through the proxy:
 * at most the requests in flight at that moment fail, everything started after the kill succeeds, node B goes on
 * serving, and every acknowledged token is found by node B. Then a code and a refresh token are each used on both
 * nodes at the same instant: exactly one wins. Skipped without HAProxy or PostgreSQL (fails under CI when a tool is
 * installed but not usable). Measured numbers are printed ("haproxy-test:"), never asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeHaproxyTest {
    static final int LOAD_THREADS = 4;
    static final String NODE_HEADER = "X-Gatehouse-Node";
    static final String SECRET = "s3cret-haproxy";
    static final String PASSWORD = "correct horse";
    static final Duration HANG = Duration.ofSeconds(30);  // bound for anything we wait for; never a timing assertion

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    static TestDb pg;
    static Map<String, String> env;
    static String issuer;
    static int proxyPort;
    static int portA;
    static int portB;
    static volatile ServerProcess a;
    static volatile ServerProcess b;
    static Haproxy proxy;

    @BeforeAll
    static void start() throws Exception {
        String haproxy = haproxyBinary();
        pg = TestDb.postgres();
        env = Map.of("GATEHOUSE_DB_USER", pg.settings.user().orElse(""),
                "GATEHOUSE_DB_PASSWORD", pg.settings.password().orElse(""), "GATEHOUSE_KEK", TestDb.TEST_KEK);
        ClientAdmin clients = new ClientAdmin(new JdbcClientRepository(pg.db), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
        clients.add("load", Optional.of(SECRET), false, c -> c.tokenFormat(TokenFormat.OPAQUE));
        clients.add("web", Optional.of(SECRET), false, c -> c
                .grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true).refreshTokenTtl(Duration.ofHours(1)));
        OidcFlow.addUser(pg.db, "alice", PASSWORD);

        proxyPort = freePort();
        issuer = "http://127.0.0.1:" + proxyPort;  // the public URL: the proxy's, the same on every node
        CompletableFuture<ServerProcess> startA = CompletableFuture.supplyAsync(() -> node(0));
        CompletableFuture<ServerProcess> startB = CompletableFuture.supplyAsync(() -> node(0));
        try {
            a = startA.join();
            b = startB.join();
        } catch (RuntimeException e) {
            startA.thenAccept(ServerProcess::close);
            startB.thenAccept(ServerProcess::close);
            throw e;
        }
        portA = URI.create(a.base).getPort();
        portB = URI.create(b.base).getPort();
        proxy = Haproxy.start(haproxy, proxyPort, portA, portB);
        proxy.await("both nodes UP", () -> proxy.isUp("a") && proxy.isUp("b"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (a != null) a.close();
        if (b != null) b.close();
        if (pg != null) pg.close();
    }

    /** Starts a node on the shared database with the shared issuer (port 0: any free one). */
    static ServerProcess node(int port) {
        return ServerProcess.serve(env, port, "--db-url", pg.url(), "--issuer", issuer);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Kill -9 under load
    // ------------------------------------------------------------------------------------------------------------

    /** One token request through the proxy, as the load threads record it. */
    record Outcome(long startNs, long endNs, int status, String node, String token, String error) {
        boolean ok() {
            return status == 200 && token != null;
        }
    }

    @Test
    @Order(1)
    void nodeKilledUnderLoadThenOnlyInFlightRequestsFailAndEveryAcknowledgedTokenSurvives() throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        Thread[] load = new Thread[LOAD_THREADS];
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < LOAD_THREADS; i++) {
            load[i] = Thread.ofPlatform().name("load-" + i).start(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    inFlight.incrementAndGet();
                    Outcome o;
                    try {
                        HttpResponse<String> r = send(tokenRequest(issuer));
                        String node = r.headers().firstValue(NODE_HEADER).orElse("?");
                        String token = r.statusCode() == 200 ? json(r).get("access_token").asText() : null;
                        o = new Outcome(t0, System.nanoTime(), r.statusCode(), node, token,
                                r.statusCode() == 200 ? null : r.body());
                    } catch (RuntimeException e) {
                        o = new Outcome(t0, System.nanoTime(), -1, "?", null, e.toString());
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    outcomes.add(o);
                }
            });
        }
        long killStart;
        long killDone;
        long downAt;
        int inFlightAtKill;
        try {
            // Both nodes serve through the proxy before the kill.
            await("both nodes serve through the proxy", () -> served(outcomes, "a") >= 30 && served(outcomes, "b") >= 30);

            inFlightAtKill = inFlight.get();
            killStart = System.nanoTime();
            a.kill();
            killDone = System.nanoTime();

            proxy.await("HAProxy marks node A DOWN", () -> !proxy.isUp("a"));
            downAt = System.nanoTime();
            long since = downAt;
            await("node B serves on after A is DOWN", () -> outcomes.stream()
                    .filter(o -> o.startNs > since && o.ok()).count() >= 100 && System.nanoTime() - since > 1_000_000_000L);
        } finally {
            stop.set(true);
            for (Thread t : load) t.join(HANG.toMillis());
        }

        List<Outcome> all = new ArrayList<>(outcomes);
        List<Outcome> failed = all.stream().filter(o -> !o.ok()).toList();
        List<Outcome> afterKill = all.stream().filter(o -> o.startNs > killDone).toList();
        Map<String, Integer> stat = proxy.server("a");
        System.out.printf("haproxy-test: %d requests through the proxy, %d failed (%s), %d of them sent while A was "
                        + "dying (after SIGKILL, before the process was gone: %d ms); %d in flight at the kill, "
                        + "%d load threads; A marked DOWN %d ms after SIGKILL (%d ms after it was gone); HAProxy "
                        + "retried %d and redispatched %d connections for A, counted %d response errors and %d server "
                        + "aborts on A; %d requests after the kill, all on B: %s%n",
                all.size(), failed.size(),
                failed.stream().map(o -> o.status + (o.error == null ? "" : " " + abbreviate(o.error))).toList(),
                failed.stream().filter(o -> o.startNs > killStart).count(), (killDone - killStart) / 1_000_000,
                inFlightAtKill, LOAD_THREADS, (downAt - killStart) / 1_000_000, (downAt - killDone) / 1_000_000,
                stat.getOrDefault("wretr", -1), stat.getOrDefault("wredis", -1), stat.getOrDefault("eresp", -1),
                stat.getOrDefault("srv_abrt", -1), afterKill.size(),
                afterKill.stream().filter(Outcome::ok).allMatch(o -> o.node.equals("b")));

        // In flight at the kill: at node A between the SIGKILL and the moment the process is gone (the kernel unmaps a
        // JVM's memory before it closes its sockets, so a dying node still accepts connections for a moment). A load
        // thread has one request at a time, so at most one per thread was already sent when the kill came; a thread
        // whose request failed may send its next one to A while A is still dying (seen: a 502 from HAProxy 2 ms
        // after the thread's first failure, within a 31 ms dying window), so the later failures are bounded by that
        // window instead: each one was sent before the process was gone.
        assertTrue(failed.stream().filter(o -> o.startNs <= killStart).count() <= LOAD_THREADS,
                "at most the requests in flight at the kill fail: " + failed);
        for (Outcome f : failed) {
            assertTrue(f.startNs < killDone && f.endNs > killStart, "a failure outside the kill: " + f);
        }
        List<Outcome> afterKillFailed = afterKill.stream().filter(o -> !o.ok()).toList();
        assertEquals(List.of(), afterKillFailed, "every request started after the kill succeeds");
        assertTrue(afterKill.stream().filter(o -> o.ok() && o.node.equals("b")).count() >= 100, "node B kept serving");
        assertTrue(all.stream().filter(o -> o.startNs > downAt && o.ok()).allMatch(o -> o.node.equals("b")),
                "nothing goes to A once HAProxy has marked it DOWN");
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(b.base + "/jwks")).GET()).statusCode());

        // Nothing acknowledged is lost: node B knows every token that got a 200, whichever node issued it.
        List<String> tokens = all.stream().filter(Outcome::ok).map(Outcome::token).toList();
        assertTrue(tokens.stream().distinct().count() == tokens.size(), "tokens are unique");
        long inactive = introspectAll(b.base, tokens);
        System.out.printf("haproxy-test: %d acknowledged tokens (%d from A, %d from B), %d inactive on node B%n",
                tokens.size(), served(outcomes, "a"), served(outcomes, "b"), inactive);
        assertEquals(0, inactive, "every acknowledged token is active on node B");

        // A node that comes back on its address is taken into service again by the health check.
        long restart = System.nanoTime();
        a = node(portA);
        long ready = System.nanoTime();
        proxy.await("HAProxy marks node A UP again", () -> proxy.isUp("a"));
        long up = System.nanoTime();
        await("the proxy sends to node A again", () -> {
            HttpResponse<String> r = send(tokenRequest(issuer));
            assertEquals(200, r.statusCode(), r.body());
            return r.headers().firstValue(NODE_HEADER).orElse("").equals("a");
        });
        System.out.printf("haproxy-test: node A restarted in %d ms; marked UP %d ms after it was ready%n",
                (ready - restart) / 1_000_000, (up - ready) / 1_000_000);
    }

    static long served(ConcurrentLinkedQueue<Outcome> outcomes, String node) {
        return outcomes.stream().filter(o -> o.ok() && o.node.equals(node)).count();
    }

    static HttpRequest.Builder tokenRequest(String base) {
        return HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(basic("load", SECRET)[0], basic("load", SECRET)[1])
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
    }

    /** Introspects every token at one node (a few threads); @return how many are not active */
    static long introspectAll(String base, List<String> tokens) throws Exception {
        AtomicInteger inactive = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS)) {
            List<Future<?>> done = new ArrayList<>();
            int slice = (tokens.size() + LOAD_THREADS - 1) / LOAD_THREADS;
            for (int i = 0; i < tokens.size(); i += slice) {
                List<String> part = tokens.subList(i, Math.min(tokens.size(), i + slice));
                done.add(pool.submit(() -> {
                    for (String t : part) {
                        HttpResponse<String> r = send(form(base + "/oauth2/introspect", q("token", t), "load"));
                        assertEquals(200, r.statusCode(), r.body());
                        if (!json(r).get("active").asBoolean()) inactive.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(HANG.toSeconds() * 2, TimeUnit.SECONDS);
        }
        return inactive.get();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Single use across nodes
    // ------------------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void codeAndRefreshTokenWhenUsedOnBothNodesAtOnceThenExactlyOneWinner() throws Exception {
        ensureNodeA();
        // No sticky sessions: one sign-in whose requests the proxy spreads over both nodes (round robin).
        OidcFlow viaProxy = new OidcFlow(issuer, issuer);
        Set<String> nodes = new TreeSet<>();
        HttpResponse<String> page = viaProxy.authorize(authz("web"));
        nodes.add(page.headers().firstValue(NODE_HEADER).orElse("?"));
        assertTrue(page.body().contains("name=\"password\""), page.body());
        HttpResponse<String> r = viaProxy.login(page, "alice", PASSWORD);
        nodes.add(r.headers().firstValue(NODE_HEADER).orElse("?"));
        assertEquals(303, r.statusCode(), r.body());  // straight to the client with the code
        String first = viaProxy.code(r, Optional.of("st-1"));
        assertEquals(Set.of("a", "b"), nodes, "the sign-in went through both nodes (the page from one, the form to the other)");
        assertEquals(200, redeem(a.base, first).statusCode());

        // The browser session is in the database: signed in through the proxy, node B knows it too.
        OidcFlow onB = new OidcFlow(b.base, issuer);
        onB.cookie = viaProxy.cookie;
        for (int round = 0; round < 5; round++) {
            String code = onB.code(onB.authorizeAndApprove(authz("web"), "alice", PASSWORD), Optional.of("st-1"));
            assertOneWinner("code", StoreContract.race(2, i -> redeem(i == 0 ? a.base : b.base, code)));
        }
        for (int round = 0; round < 5; round++) {
            String code = onB.code(onB.authorizeAndApprove(authz("web"), "alice", PASSWORD), Optional.of("st-1"));
            HttpResponse<String> tokens = redeem(b.base, code);
            assertEquals(200, tokens.statusCode(), tokens.body());
            String refresh = json(tokens).get("refresh_token").asText();
            assertOneWinner("refresh token", StoreContract.race(2, i -> refresh(i == 0 ? a.base : b.base, refresh)));
        }
    }

    static void assertOneWinner(String what, List<HttpResponse<String>> both) {
        List<Integer> statuses = both.stream().map(HttpResponse::statusCode).sorted().toList();
        assertEquals(List.of(200, 400), statuses, what + ": " + both.stream().map(HttpResponse::body).toList());
        HttpResponse<String> loser = both.stream().filter(x -> x.statusCode() == 400).findFirst().orElseThrow();
        assertEquals("invalid_grant", json(loser).get("error").asText(), loser.body());
    }

    static HttpResponse<String> redeem(String base, String code) {
        return send(form(base + "/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), "web"));
    }

    static HttpResponse<String> refresh(String base, String token) {
        return send(form(base + "/oauth2/token", q("grant_type", "refresh_token", "refresh_token", token), "web"));
    }

    /** Node A again when an earlier test left it dead (the tests can run alone). */
    static void ensureNodeA() {
        if (a.process.isAlive()) return;
        a = node(portA);
        proxy.await("node A UP", () -> proxy.isUp("a"));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------------------------

    static HttpRequest.Builder form(String url, String body, String client) {
        String[] auth = basic(client, SECRET);
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .header(auth[0], auth[1]).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(HANG).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + HANG + ": " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String abbreviate(String s) {
        s = s.replace('\n', ' ');
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    static int freePort() {
        return ExternalTool.freePort();
    }

    /**
     * The haproxy binary: GATEHOUSE_TEST_HAPROXY (set by bin/test-env.d/haproxy.sh), else haproxy on the PATH or
     * in /usr/sbin. Skips without one (or with GATEHOUSE_TEST_HAPROXY=off); under CI an installed haproxy that does
     * not run fails the test instead, so that a broken setup cannot pass as skipped.
     */
    static String haproxyBinary() {
        return ExternalTool.find("haproxy", "GATEHOUSE_TEST_HAPROXY", "-v", "HAProxy");
    }

    /**
     * HAProxy in the foreground ({@code haproxy -f cfg -db}) as a child process, with an admin socket in its
     * directory for {@code show stat}. Its log (stderr) is kept and printed when the test fails to start it.
     */
    static final class Haproxy implements AutoCloseable {
        final Process process;
        final Path dir;
        final Path socket;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        private Haproxy(Process process, Path dir, Path socket) {
            this.process = process;
            this.dir = dir;
            this.socket = socket;
        }

        static final String DOCS = "docs/storage.md";
        static final String SECTION = "### Reference deployment: several nodes behind HAProxy";

        /**
         * The haproxy.cfg that docs/storage.md shows as the reference deployment (the first code block of its
         * section), with the test's addresses and admin socket put in: what the documentation shows is what runs.
         */
        static String config(int frontend, int nodeA, int nodeB, Path socket) throws IOException {
            String doc = Files.readString(Path.of(DOCS));
            int section = doc.indexOf(SECTION);
            assertTrue(section >= 0, DOCS + " has no section '" + SECTION + "'");
            int open = doc.indexOf("```\n", section);
            int close = doc.indexOf("```\n", open + 4);
            String cfg = doc.substring(open + 4, close);
            cfg = replace(cfg, "stats socket /run/haproxy/admin.sock", "stats socket " + socket);
            cfg = replace(cfg, "bind 127.0.0.1:8080", "bind 127.0.0.1:" + frontend);
            cfg = replace(cfg, "server a 10.0.0.11:9000", "server a 127.0.0.1:" + nodeA);
            return replace(cfg, "server b 10.0.0.12:9000", "server b 127.0.0.1:" + nodeB);
        }

        private static String replace(String cfg, String documented, String tested) {
            assertTrue(cfg.contains(documented), "the haproxy.cfg in " + DOCS + " no longer has '" + documented + "'");
            return cfg.replace(documented, tested);
        }

        static Haproxy start(String binary, int frontend, int nodeA, int nodeB) throws IOException {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "gh-haproxy");
            Path socket = dir.resolve("admin.sock");
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(frontend, nodeA, nodeB, socket));
            Process p = new ProcessBuilder(binary, "-f", cfg.toString(), "-db").redirectErrorStream(true).start();
            Haproxy h = new Haproxy(p, dir, socket);
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        h.log.add(line);
                        System.out.println("haproxy: " + line);
                    }
                } catch (IOException e) {
                    // haproxy is gone
                }
            }, "haproxy-log");
            pump.setDaemon(true);
            pump.start();
            try {
                h.await("HAProxy answers on its admin socket", () -> {
                    if (!p.isAlive()) throw new IllegalStateException("haproxy exited: " + String.join("\n", h.log));
                    return Files.exists(socket) && !h.stat().isEmpty();
                });
            } catch (RuntimeException | AssertionError e) {
                h.close();
                throw e;
            }
            return h;
        }

        void await(String what, BooleanSupplier condition) {
            TwoNodeHaproxyTest.await(what, () -> {
                if (!process.isAlive()) throw new IllegalStateException("haproxy exited: " + String.join("\n", log));
                return condition.getAsBoolean();
            });
        }

        boolean isUp(String server) {
            return rows().stream().anyMatch(row -> row.get("pxname").equals("gatehouse_nodes")
                    && row.get("svname").equals(server) && row.get("status").startsWith("UP")
                    && !row.get("status").contains("going down"));
        }

        /** A server's numeric counters from {@code show stat} (wretr, wredis, econ, eresp, ...). */
        Map<String, Integer> server(String name) {
            Map<String, Integer> out = new HashMap<>();
            rows().stream().filter(row -> row.get("pxname").equals("gatehouse_nodes") && row.get("svname").equals(name))
                    .findFirst().ifPresent(row -> row.forEach((k, v) -> {
                        if (v.matches("\\d+")) out.put(k, Integer.parseInt(v));
                    }));
            return out;
        }

        List<Map<String, String>> rows() {
            String csv = stat();
            String[] lines = csv.split("\n");
            if (lines.length == 0 || !lines[0].startsWith("# ")) return List.of();
            String[] header = lines[0].substring(2).split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                String[] cells = lines[i].split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int c = 0; c < header.length && c < cells.length; c++) row.put(header[c], cells[c]);
                rows.add(row);
            }
            return rows;
        }

        /** {@code show stat} over the admin socket (CSV); empty while the socket does not answer. */
        String stat() {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                StringBuilder out = new StringBuilder();
                while (ch.read(buf) >= 0) {
                    buf.flip();
                    out.append(StandardCharsets.US_ASCII.decode(buf));
                    buf.clear();
                }
                return out.toString();
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestDb.deleteTree(dir);
        }
    }
}
