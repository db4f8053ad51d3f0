package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.Main;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static org.junit.jupiter.api.Assertions.*;

/**
 * House rule 9, proven under load: `gatehouse serve` runs as its own process while client threads issue opaque tokens,
 * revoke some, rotate refresh tokens, sign in through the browser flow and add clients through the CLI; the server is
 * killed with SIGKILL at a random moment while all of that is in flight, restarted, and everything that was
 * acknowledged is checked over HTTP: every acknowledged token is active, every acknowledged revocation holds, every
 * consumed refresh token stays consumed, every code a sign-in answered with redeems and its session cookie is signed
 * in (the code and the session share one commit, queued behind one another), every acknowledged client exists. Zero
 * lost, zero revived. On SQLite and on PostgreSQL.
 *
 * <p>Rounds: {@code -Dgatehouse.kill.rounds=N} (default 3; {@code bench/kill-under-load.sh} runs 20).
 */
class KillUnderLoadTest {
    static final int ROUNDS = Integer.getInteger("gatehouse.kill.rounds", 3);
    static final String USER_PASSWORD = "correct horse";

    /** What the clients were told: 2xx answers (and CLI exit 0) only. */
    static final class Acknowledged {
        final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        final Set<String> revoked = ConcurrentHashMap.newKeySet();
        /** Revocations sent but never answered: revoked or not, nobody was told. */
        final Set<String> revocationUnanswered = ConcurrentHashMap.newKeySet();
        final Set<String> consumedRefresh = ConcurrentHashMap.newKeySet();
        final Set<String> liveRefresh = ConcurrentHashMap.newKeySet();
        final List<String> clients = Collections.synchronizedList(new ArrayList<>());
        /** Sign-ins answered with a code (303 to the client): the code and the new session cookie. */
        final List<SignIn> signIns = Collections.synchronizedList(new ArrayList<>());
    }

    record SignIn(String code, String cookie) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void killUnderLoadThenNothingAcknowledgedLostAndNothingRevokedRevived(String kind) throws Exception {
        try (TestDb db = kind.equals("sqlite") ? TestDb.sqlite() : TestDb.postgres()) {
            setUp(db.db);
            Acknowledged all = new Acknowledged();
            StringBuilder report = new StringBuilder();
            for (int round = 1; round <= ROUNDS; round++) {
                Acknowledged now = new Acknowledged();
                int inFlightAtKill;
                try (ServerProcess server = serve(db)) {
                    inFlightAtKill = loadThenKill(server, db, round, now);
                }
                try (ServerProcess server = serve(db)) {
                    verify(server.base, now);
                    verifySignIns(server.base, now);  // once: redeeming a code uses it up
                }
                merge(now, all);
                report.append(String.format("round %d: %d tokens, %d revocations, %d refresh rotations, %d sign-ins, "
                        + "%d clients acknowledged; %d requests in flight at SIGKILL%n", round, now.tokens.size(),
                        now.revoked.size(), now.consumedRefresh.size(), now.signIns.size(), now.clients.size(),
                        inFlightAtKill));
            }
            try (ServerProcess server = serve(db)) {
                verify(server.base, all);  // later rounds' recoveries revived nothing of earlier rounds
            }
            System.out.printf("KillUnderLoadTest[%s]: %d rounds, 0 lost, 0 revived%n%s", kind, ROUNDS, report);
        }
    }

    private static void setUp(Database db) {
        JdbcKeyStore keys = new JdbcKeyStore(db);
        for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
        ClientAdmin clients = new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
        clients.add("svc", Optional.of("s3cret"), false, b -> b.tokenFormat(TokenFormat.OPAQUE));
        clients.add("app", Optional.of("s3cret"), false, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE,
                GrantType.REFRESH_TOKEN)).redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true)
                .scope(Scope.of("api")));
        new UserAdmin(new JdbcUserStore(db), new SecretHasher(1024, 1), Clock.systemUTC(), new SecureRandom())
                .add("alice", USER_PASSWORD, new UserAdmin.Changes("alice@example.com", true, "Alice", Map.of()));
    }

    private static ServerProcess serve(TestDb db) {
        if (db.settings.url().isEmpty()) return ServerProcess.serve(Map.of(), "--data", db.settings.dataDir().toString());
        return ServerProcess.serve(Map.of("GATEHOUSE_DB_USER", db.settings.user().orElse(""),
                "GATEHOUSE_DB_PASSWORD", db.settings.password().orElse(""), "GATEHOUSE_KEK", TestDb.TEST_KEK),
                "--db-url", db.url());
    }

    /** Runs the load, kills the server at a random moment under it, stops the load. @return requests in flight */
    private static int loadThenKill(ServerProcess server, TestDb db, int round, Acknowledged ack) throws Exception {
        List<String> chains = new ArrayList<>();
        for (int i = 0; i < 2; i++) chains.add(refreshTokenByCodeFlow(server.base));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inFlight = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(load(stop, inFlight, () -> {
                HttpResponse<String> r = Http.clientCredentials(server.base, "svc", "s3cret");
                if (r.statusCode() == 200) ack.tokens.add(TestServer.json(r).get("access_token").asText());
            }));
        }
        threads.add(load(stop, inFlight, () -> {
            String t = randomToken(ack.tokens);
            if (t == null) return;
            ack.revocationUnanswered.add(t);
            HttpResponse<String> r = Http.form(server.base + "/oauth2/revoke", q("token", t), TestServer.basic("svc", "s3cret"));
            if (r.statusCode() != 200) throw new AssertionError("revoke: " + r.statusCode() + " " + r.body());
            ack.revoked.add(t);
            ack.revocationUnanswered.remove(t);
        }));
        for (String first : chains) {
            String[] current = {first};
            ack.liveRefresh.add(first);
            AtomicBoolean uncertain = new AtomicBoolean();
            threads.add(load(stop, inFlight, () -> {
                if (uncertain.get()) return;
                String old = current[0];
                try {
                    HttpResponse<String> r = Http.form(server.base + "/oauth2/token",
                            q("grant_type", "refresh_token", "refresh_token", old), TestServer.basic("app", "s3cret"));
                    if (r.statusCode() != 200) throw new AssertionError("refresh: " + r.statusCode() + " " + r.body());
                    String next = TestServer.json(r).get("refresh_token").asText();
                    ack.liveRefresh.remove(old);
                    ack.consumedRefresh.add(old);
                    ack.liveRefresh.add(next);
                    current[0] = next;
                } catch (RuntimeException e) {
                    // Unacknowledged: the old token may or may not have been consumed; the chain ends here.
                    uncertain.set(true);
                    ack.liveRefresh.remove(old);
                    throw e;
                }
            }));
        }
        threads.add(load(stop, inFlight, () -> {
            OidcFlow browser = new OidcFlow(server.base, server.base);
            HttpResponse<String> r = browser.login(browser.authorize(authz("app", "scope", "openid api")), "alice",
                    USER_PASSWORD);
            if (r.statusCode() != 303) throw new AssertionError("sign-in: " + r.statusCode() + " " + r.body());
            ack.signIns.add(new SignIn(browser.code(r, Optional.of("st-1")), browser.cookie));
        }));
        AtomicInteger n = new AtomicInteger();
        threads.add(load(stop, inFlight, () -> {
            String id = "cli-" + round + "-" + n.incrementAndGet();
            if (cli(db, "client", "add", id, "--secret", "cli-s3cret") == 0) ack.clients.add(id);
        }));
        // A random moment once everything is under way (the machine may be slow: wait for the load to flow first).
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((ack.tokens.size() < 20 || ack.consumedRefresh.size() < 2 || ack.signIns.size() < 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ack.tokens.size() >= 20, "no load reached the server");
        Thread.sleep(ThreadLocalRandom.current().nextInt(1000));
        int inFlightAtKill = inFlight.get();
        server.kill();
        stop.set(true);
        for (Thread t : threads) t.join(60_000);
        return inFlightAtKill;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A thread repeating {@code step} until stopped; a failure once the server is being killed ends it quietly. */
    private static Thread load(AtomicBoolean stop, AtomicInteger inFlight, Step step) {
        return Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                inFlight.incrementAndGet();
                try {
                    step.run();
                } catch (Exception | AssertionError e) {
                    if (!stop.get() && !(e instanceof java.io.UncheckedIOException)) {
                        e.printStackTrace();  // a real failure before the kill: the verification will show its effect
                    }
                    return;
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
    }

    /** A copy of a synchronized list that the load threads may still be adding to. */
    private static <T> List<T> snapshot(List<T> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private static String randomToken(List<String> tokens) {
        synchronized (tokens) {
            return tokens.isEmpty() ? null : tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
        }
    }

    private static String refreshTokenByCodeFlow(String base) {
        OidcFlow browser = new OidcFlow(base, base);
        String code = browser.code(browser.authorizeAndApprove(authz("app", "scope", "openid api"), "alice", USER_PASSWORD),
                Optional.of("st-1"));
        HttpResponse<String> r = Http.form(base + "/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), TestServer.basic("app", "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).get("refresh_token").asText();
    }

    /** The CLI in this JVM (another process than the server), on the same database. */
    private static int cli(TestDb db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (db.settings.url().isEmpty()) {
            all.addAll(List.of("--data", db.settings.dataDir().toString()));
        } else {
            all.addAll(List.of("--db-url", db.url() + "&user=" + db.settings.user().orElse("")
                    + "&password=" + db.settings.password().orElse("")));
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(all.toArray(String[]::new));
    }

    private static void verify(String base, Acknowledged ack) {
        List<String> tokens = snapshot(ack.tokens);
        int lost = 0;
        int revived = 0;
        for (String t : tokens) {
            boolean active = introspect(base, "svc", t);
            if (ack.revoked.contains(t) && active) revived++;
            if (!ack.revoked.contains(t) && !active && !ack.revocationUnanswered.contains(t)) lost++;
        }
        for (String rt : ack.consumedRefresh) {
            if (introspect(base, "app", rt)) revived++;
        }
        for (String rt : ack.liveRefresh) {
            if (!introspect(base, "app", rt)) lost++;
        }
        List<String> missingClients = new ArrayList<>();
        synchronized (ack.clients) {
            for (String id : ack.clients) {
                if (Http.clientCredentials(base, id, "cli-s3cret").statusCode() != 200) missingClients.add(id);
            }
        }
        assertEquals(0, lost, "acknowledged tokens lost (of " + tokens.size() + ")");
        assertEquals(0, revived, "acknowledged revocations or refresh rotations undone");
        assertEquals(List.of(), missingClients, "acknowledged clients lost");
    }

    /** Every code a sign-in answered with redeems, and its session cookie is signed in (a code again, no page). */
    private static void verifySignIns(String base, Acknowledged ack) {
        List<SignIn> signIns = snapshot(ack.signIns);
        int lostCodes = 0;
        int lostSessions = 0;
        for (SignIn s : signIns) {
            HttpResponse<String> r = Http.form(base + "/oauth2/token", q("grant_type", "authorization_code", "code", s.code(),
                    "redirect_uri", REDIRECT), TestServer.basic("app", "s3cret"));
            if (r.statusCode() != 200) lostCodes++;
            OidcFlow browser = new OidcFlow(base, base);
            browser.cookie = s.cookie();
            if (browser.authorize(authz("app", "scope", "openid api")).statusCode() != 302) lostSessions++;
        }
        assertEquals(0, lostCodes, "codes handed out by a sign-in but not stored (of " + signIns.size() + ")");
        assertEquals(0, lostSessions, "sessions of acknowledged sign-ins lost (of " + signIns.size() + ")");
    }

    private static boolean introspect(String base, String client, String token) {
        HttpResponse<String> r = Http.form(base + "/oauth2/introspect", q("token", token), TestServer.basic(client, "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        return body.get("active").asBoolean();
    }

    private static void merge(Acknowledged from, Acknowledged into) {
        into.tokens.addAll(from.tokens);
        into.revoked.addAll(from.revoked);
        into.revocationUnanswered.addAll(from.revocationUnanswered);
        into.consumedRefresh.addAll(from.consumedRefresh);
        into.liveRefresh.removeAll(from.consumedRefresh);
        into.liveRefresh.addAll(from.liveRefresh);
        into.clients.addAll(from.clients);
    }
}
