package io.gatehouse.store.jdbc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.Gatehouse;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The embedded database on a full disk. The data directory lives on a small tmpfs of its own; a filler file takes
 * the last byte of it while the server runs. Every write must then fail as a 503 with Retry-After in the endpoint's
 * own shape (never a 500, never a hang, no stack trace in the log), nothing acknowledged may be lost or damaged,
 * and service must come back by itself once the filler is deleted. Needs root (mount); skipped otherwise, except
 * on CI as root, where a failing mount fails the test.
 *
 * <p>Reads SQLite's wal-index header from the {@code -shm} file to see what the checkpointer did. It does so with
 * {@code od} in another process: closing any file descriptor of a file in this JVM would drop the POSIX locks that
 * SQLite holds on it here.
 */
class DiskFullTest {
    private static final int FS_MIB = 24;
    private static final String CLIENT = "opaque-svc";
    private static final String SECRET = "disk-full-s3cret";
    /** A client with JWT access tokens: issuing one writes nothing. */
    private static final String JWT_CLIENT = "jwt-svc";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";
    /** SQLite's default wal_autocheckpoint, in frames. */
    private static final int AUTOCHECKPOINT_FRAMES = 1000;
    /** Frames indexed by the first 32 KiB region of the -shm file (HASHTABLE_NPAGE_ONE in SQLite's wal.c). */
    private static final int FIRST_SHM_REGION_FRAMES = 4062;
    private static final int FRAME_BYTES = 24 + 4096;
    private static final String INSERT_TOKEN = "insert into tokens (token_hash, kind, client_id, subject, scope, "
            + "issued_at, expires_at, grant_id, revoked) values (?, 'ACCESS', ?, ?, 'all', ?, ?, null, false)";

    private enum Op { STANDARD, APP_KEY, JSON_CC, REVOKE, CLI_ADD }

    private static final Op[] TOKEN_OPS = {Op.STANDARD, Op.APP_KEY, Op.JSON_CC};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ExecutorService bounded = Executors.newVirtualThreadPerTaskExecutor();
    private final SecureRandom random = new SecureRandom();
    private Path mount;
    private boolean mounted;
    private Path dir;
    private Gatehouse server;
    private String base;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mount = TestDb.tempDir("diskfull");
        if (!"0".equals(exec("id", "-u").output().strip())) {
            Assumptions.abort("not root: cannot mount a tmpfs for the disk-full test");
        }
        Exec m = exec("mount", "-t", "tmpfs", "-o", "size=" + FS_MIB + "m,mode=0700", "tmpfs", mount.toString());
        if (m.code() != 0) {
            String why = "cannot mount a tmpfs on " + mount + ": " + m.output().strip();
            if (System.getenv("CI") != null) fail(why + " (CI is set and we run as root: the test setup is broken)");
            Assumptions.abort(why);
        }
        mounted = true;
        dir = Files.createDirectory(mount.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        log = new ListAppender<>();
        log.start();
        rootLogger().addAppender(log);
    }

    @AfterEach
    void unmount() throws Exception {
        if (log != null) rootLogger().detachAppender(log);
        pool.shutdownNow();
        bounded.shutdownNow();
        closeServer();
        if (mounted && exec("umount", mount.toString()).code() != 0) {
            Exec lazy = exec("umount", "-l", mount.toString());
            assertEquals(0, lazy.code(), "cannot unmount " + mount + ": " + lazy.output());
        }
        TestDb.deleteTree(mount);
    }

    @Test
    void tokensWhenDiskFillsThen503sInEachShapeAndOnceSpaceIsFreedEverythingAcknowledgedHolds() throws Exception {
        prepare();
        startServer();
        List<String> mustBeActive = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 30; i++) mustBeActive.add(issued(TOKEN_OPS[i % 3]));
        ConcurrentLinkedQueue<String> toRevoke = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 100; i++) toRevoke.add(issued(Op.STANDARD));

        // A WAL far larger than the auto-checkpoint size, as a long reader (a backup) leaves it: while the disk is
        // full, commits go on into its already allocated space, the checkpoint at 1000 frames cannot grow the
        // database file and fails, and commits continue after it until the WAL's space runs out too.
        int expired = growWal(2_500);
        Path filler = fill();

        Map<Op, AtomicInteger> failures = new ConcurrentHashMap<>();
        for (Op op : Op.values()) failures.put(op, new AtomicInteger());
        List<String> revoked = Collections.synchronizedList(new ArrayList<>());
        List<String> revocationUnknown = Collections.synchronizedList(new ArrayList<>());
        List<String> cliAdded = new ArrayList<>();
        AtomicInteger acknowledgedWhileFull = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger counter = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    int i = counter.getAndIncrement();
                    if (i % 16 == 15) {
                        String t = toRevoke.poll();
                        boolean again = t == null;
                        if (again) {
                            if (revoked.isEmpty()) continue;
                            t = revoked.get(0);  // revoking it again is a write as well; it stays revoked either way
                        }
                        if (revoke(t)) {
                            if (!again) revoked.add(t);
                        } else {
                            failures.get(Op.REVOKE).incrementAndGet();
                            if (!again) revocationUnknown.add(t);  // 503: not known whether it was written
                        }
                    } else {
                        Op op = TOKEN_OPS[i % 3];
                        String t = token(op);
                        if (t != null) {
                            mustBeActive.add(t);
                            acknowledgedWhileFull.incrementAndGet();
                        } else {
                            failures.get(op).incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        // The wal-index, sampled while the workers run: once a checkpoint has failed, how many commits still follow.
        AtomicReference<WalIndex> failedCheckpoint = new AtomicReference<>();
        AtomicReference<WalIndex> lastSample = new AtomicReference<>();
        AtomicInteger acknowledgedAtFailedCheckpoint = new AtomicInteger(-1);
        Future<?> sampler = bounded.submit(() -> {
            while (!stop.get()) {
                WalIndex wal = walIndex();
                lastSample.set(wal);
                if (failedCheckpoint.get() == null && wal.checkpointFailed()) {
                    acknowledgedAtFailedCheckpoint.set(acknowledgedWhileFull.get());
                    failedCheckpoint.set(wal);
                }
                Thread.sleep(10);
            }
            return null;
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long allFailedAt = 0;
        for (int n = 0; System.nanoTime() < deadline; n++) {
            String id = "cli-" + n;
            if (cliAdd(id)) {
                cliAdded.add(id);
            } else {
                failures.get(Op.CLI_ADD).incrementAndGet();
            }
            if (allFailedAt == 0 && failures.values().stream().allMatch(f -> f.get() > 0)) allFailedAt = System.nanoTime();
            if (allFailedAt != 0 && System.nanoTime() - allFailedAt > 1_000_000_000L) break;  // full for a while
            for (Future<?> f : workers) if (f.isDone()) f.get();  // a worker's assertion error ends the test at once
            Thread.sleep(200);
        }
        stop.set(true);
        for (Future<?> f : workers) f.get(30, TimeUnit.SECONDS);
        sampler.get(30, TimeUnit.SECONDS);
        System.out.printf("disk full: %d tokens acknowledged on the full disk, %d of them after the first failed "
                        + "checkpoint (%s; at the end %s); failures %s; %d revocations, %d CLI adds acknowledged%n",
                acknowledgedWhileFull.get(), acknowledgedWhileFull.get() - acknowledgedAtFailedCheckpoint.get(),
                failedCheckpoint.get(), lastSample.get(), failures, revoked.size(), cliAdded.size());
        for (Op op : Op.values()) assertTrue(failures.get(op).get() > 0, op + " never failed on the full disk: " + failures);
        assertNotNull(failedCheckpoint.get(), "no checkpoint was attempted (and failed) while the disk was full");
        assertTrue(failedCheckpoint.get().mxFrame() >= AUTOCHECKPOINT_FRAMES, failedCheckpoint.get().toString());
        assertTrue(acknowledgedWhileFull.get() > acknowledgedAtFailedCheckpoint.get(),
                "no commit succeeded after the checkpoint failed");

        // What needs no write still works: JWT access tokens, introspection.
        HttpResponse<String> jwt = send("/oauth2/token", FORM, "grant_type=client_credentials", TestServer.basic(JWT_CLIENT, SECRET));
        assertEquals(200, jwt.statusCode(), jwt.body());
        assertTrue(active(TestServer.json(jwt).get("access_token").asText()));
        assertTrue(active(mustBeActive.get(0)));

        // Housekeeping on the full disk: a clear 503-type failure, never a hang or a 500-type error.
        try (Database cli = cli()) {
            JdbcTokenStore tokens = new JdbcTokenStore(cli);
            assertThrows(StoreUnavailableException.class, () -> bounded(() -> tokens.purgeExpired(Instant.now())));
            try {
                bounded(() -> {
                    cli.reclaimFreeSpace();
                    return null;
                });
            } catch (StoreUnavailableException e) {
                // as good: nothing to reclaim needs no write, anything else needs space
            }
        }
        assertNoStackTraceOrError();

        Files.delete(filler);
        long freed = System.nanoTime();
        String first;
        while ((first = token(Op.STANDARD)) == null) {
            assertTrue(System.nanoTime() - freed < Duration.ofSeconds(15).toNanos(), "no token 15 s after space was freed");
            Thread.sleep(100);
        }
        System.out.printf("disk full: first token %d ms after the filler was deleted%n", (System.nanoTime() - freed) / 1_000_000);
        mustBeActive.add(first);
        for (Op op : TOKEN_OPS) mustBeActive.add(issued(op));
        for (String t : revocationUnknown) {
            assertTrue(revoke(t), "revocation after space was freed");
            revoked.add(t);
        }
        mustBeActive.addAll(toRevoke);  // never revoked
        assertTrue(cliAdd("cli-after"), "client add after space was freed");
        cliAdded.add("cli-after");

        verify(mustBeActive, revoked, cliAdded);
        try (Database cli = cli()) {
            assertEquals(expired, new JdbcTokenStore(cli).purgeExpired(Instant.now()), "expired rows purged");
            assertEquals(0, longPragma("freelist_count"), "purge gave the freed pages back to the file system");
        }
        try (Connection c = plain(false); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("pragma wal_checkpoint(passive)")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "checkpoint busy");
            assertEquals(rs.getInt(2), rs.getInt(3), "the whole WAL is checkpointed again");
        }

        closeServer();
        startServer();
        verify(mustBeActive, revoked, cliAdded);
        for (Op op : TOKEN_OPS) issued(op);
        assertNoStackTraceOrError();
        printWarnings();
    }

    @Test
    void stopAndStartOnAFullDiskThenNothingIsLostAndARefusedStartSaysWhy() throws Exception {
        prepare();
        startServer();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 150; i++) issued.add(issued(TOKEN_OPS[i % 3]));  // more than fits the file's free pages
        Path filler = fill();
        closeServer();  // its last connection cannot checkpoint (the file cannot grow): the WAL, with the tokens, stays
        assertTrue(Files.size(dir.resolve(DataDirectory.DB_FILE + "-wal")) > 0, "the WAL stays after a stop on a full disk");

        // The -shm file stayed too, and its pages are enough to open the database again: the server starts on the
        // full disk, recovers the WAL and answers from it; writes get 503.
        fill(filler);  // whatever the stop freed
        bounded(() -> {
            startServer();
            return null;
        });
        verify(issued, List.of(), List.of());
        for (Op op : TOKEN_OPS) assertNull(token(op), op + " issued a token on the full disk");
        closeServer();

        Files.delete(filler);
        startServer();
        verify(issued, List.of(), List.of());
        for (int i = 0; i < 30; i++) issued.add(issued(TOKEN_OPS[i % 3]));
        closeServer();  // with space: checkpointed, and the WAL and -shm files are gone
        assertFalse(Files.exists(dir.resolve(DataDirectory.DB_FILE + "-shm")), "-shm left after a clean stop");

        // Without a -shm file, SQLite cannot open the database on a full disk: a refusal that says so.
        filler = fill();
        DataDirectory.Refused refused = assertThrows(DataDirectory.Refused.class, () -> bounded(() -> {
            startServer();
            return null;
        }));
        System.out.println("disk full: in-process start refused: " + refused.getMessage());
        assertTrue(refused.getMessage().contains("is full"), refused.getMessage());

        fill(filler);
        ServerProcess.Result serve = ServerProcess.run(Map.of(), "serve", "--port", "0", "--data", dir.toString());
        System.out.println("disk full: serve: exit " + serve.exitCode() + ": " + serve.output().strip());
        assertEquals(2, serve.exitCode(), serve.output());
        assertTrue(serve.output().contains("is full"), serve.output());
        assertNoStackTrace(serve.output());

        fill(filler);
        ServerProcess.Result add = ServerProcess.run(Map.of(), "client", "add", "late", "--secret", SECRET,
                "--data", dir.toString());
        System.out.println("disk full: client add: exit " + add.exitCode() + ": " + add.output().strip());
        assertNotEquals(0, add.exitCode(), add.output());
        assertTrue(add.output().contains("is full"), add.output());
        assertNoStackTrace(add.output());

        Files.delete(filler);
        startServer();
        verify(issued, List.of(), List.of());
        for (Op op : TOKEN_OPS) issued(op);
        assertNoStackTraceOrError();
        printWarnings();
    }

    @Test
    void sharedMemoryWhenItMustGrowOnTheFullDiskThenAnIoErrorNotSigbus() throws Exception {
        prepare();
        Path shm = dir.resolve(DataDirectory.DB_FILE + "-shm");
        List<String> acknowledged = new ArrayList<>();
        Set<String> causes = new TreeSet<>();
        try (Database db = cli(); Connection pin = plain(false)) {
            JdbcTokenStore tokens = new JdbcTokenStore(db);
            exec(pin, "begin");
            query(pin, "select count(*) from tokens");  // a reader: the WAL can neither be checkpointed nor restarted
            while (walFileFrames() < FIRST_SHM_REGION_FRAMES - 40) acknowledged.add(save(tokens));
            long shmBefore = Files.size(shm);
            Path filler = fill();
            // Give back one page at a time: the WAL takes each as it comes, so when it passes the first wal-index
            // region, SQLite must grow the -shm file (which it maps) with almost nothing free.
            boolean grown = false;
            for (int i = 0; i < 2_000 && !grown; i++) {
                try {
                    acknowledged.add(save(tokens));
                    grown = Files.size(shm) > shmBefore && walFileFrames() > FIRST_SHM_REGION_FRAMES;
                } catch (StoreUnavailableException e) {
                    causes.add(e.getCause() instanceof SQLiteException x ? x.getResultCode().name() : String.valueOf(e.getCause()));
                    shrink(filler, 4096);
                }
            }
            System.out.printf("disk full: -shm %d -> %d bytes, WAL %d frames, failures %s%n", shmBefore, Files.size(shm),
                    walFileFrames(), causes);
            assertTrue(grown, "the WAL never passed the first wal-index region");
            assertTrue(causes.contains("SQLITE_IOERR_SHMSIZE"), "the -shm file never had to grow on the full disk: " + causes);
            exec(pin, "commit");
            Files.delete(filler);
            acknowledged.add(save(tokens));
            for (String hash : acknowledged) assertTrue(tokens.findByHash(hash).isPresent(), "acknowledged row lost");
        }
        assertEquals("ok", integrityCheck());
        assertNoStackTraceOrError();
    }

    // --- set-up -----------------------------------------------------------------------------------------------------

    /** The keys and an opaque-token client, written as the CLI would. */
    private void prepare() {
        try (Database db = cli()) {
            JdbcKeyStore keys = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
            // A resource server as well: it introspects the JWT client's tokens too.
            admin(db).add(CLIENT, Optional.of(SECRET), false, b -> b.tokenFormat(TokenFormat.OPAQUE).scope(Scope.of("all"))
                    .resourceServer(true));
            admin(db).add(JWT_CLIENT, Optional.of(SECRET), false, b -> b.tokenFormat(TokenFormat.JWT));
        }
    }

    private void startServer() {
        server = Gatehouse.start(ServerConfig.forTest(dir), Clock.systemUTC());
        base = server.issuer();
    }

    private void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private Database cli() {
        return Database.open(DatabaseSettings.embedded(dir), Database.Role.CLI);
    }

    private ClientAdmin admin(Database db) {
        return new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(), random);
    }

    /**
     * Inserts expired token rows in small commits while a reader pins the WAL, until the WAL file holds
     * {@code frames} frames; then lets a checkpoint copy everything into the database file, so that the next
     * writer starts the WAL again from its beginning (its file keeps its size). @return rows inserted
     */
    private int growWal(int frames) throws Exception {
        int rows = 0;
        long past = Instant.now().minus(Duration.ofDays(2)).getEpochSecond();
        try (Database db = cli(); Connection pin = plain(false)) {
            exec(pin, "begin");
            query(pin, "select count(*) from tokens");
            while (walFileFrames() < frames) {
                db.write(c -> {
                    for (int i = 0; i < 5; i++) {
                        Jdbc.update(c, INSERT_TOKEN, Tokens.hash(Tokens.random(random, 16)), CLIENT, CLIENT, past, past + 60);
                    }
                    return null;
                });
                rows += 5;
                assertTrue(rows < 100_000, "the WAL does not grow");
            }
            exec(pin, "commit");
            assertEquals(0, query(pin, "pragma wal_checkpoint(passive)"), "checkpoint busy");
        }
        return rows;
    }

    // --- the full disk ----------------------------------------------------------------------------------------------

    /** Writes a filler file beside the data directory until the file system has no space left. */
    private Path fill() throws IOException {
        return fill(mount.resolve("filler"));
    }

    private Path fill(Path filler) throws IOException {
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (true) {
                buf.clear();
                ch.write(buf);  // a short write when nearly full, then ENOSPC
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
        assertTrue(Files.getFileStore(mount).getUsableSpace() < 64 * 1024, "the file system is not full");
        return filler;
    }

    private static void shrink(Path filler, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() - bytes));
        }
    }

    /** The wal-index header and checkpoint info at the start of the -shm file (SQLite's walformat). */
    private record WalIndex(long mxFrame, long nBackfill, long nBackfillAttempted) {
        /** A checkpoint started copying frames into the database file and did not finish. */
        boolean checkpointFailed() {
            return nBackfillAttempted > nBackfill;
        }
    }

    private WalIndex walIndex() throws Exception {
        Exec od = exec("od", "-A", "n", "-v", "-t", "u4", "-N", "136", dir.resolve(DataDirectory.DB_FILE + "-shm").toString());
        assertEquals(0, od.code(), od.output());
        String[] v = od.output().strip().split("\\s+");
        return new WalIndex(Long.parseLong(v[4]), Long.parseLong(v[24]), Long.parseLong(v[32]));
    }

    /** Frames the WAL file has room for (its size only grows while a reader pins it). */
    private long walFileFrames() throws IOException {
        Path wal = dir.resolve(DataDirectory.DB_FILE + "-wal");
        return Files.exists(wal) ? Math.max(0, Files.size(wal) - 32) / FRAME_BYTES : 0;
    }

    // --- requests ---------------------------------------------------------------------------------------------------

    private HttpResponse<String> send(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(BOUND)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("POST " + path + " did not answer within " + BOUND.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> request(Op op, String token) {
        return switch (op) {
            case STANDARD -> send("/oauth2/token", FORM, "grant_type=client_credentials", TestServer.basic(CLIENT, SECRET));
            case APP_KEY -> send("/oauth/token/get", JSON, "{\"app_id\":\"" + CLIENT + "\",\"app_secret\":\"" + SECRET + "\"}");
            case JSON_CC -> send("/v1/api/oauth/token", JSON, "{\"grant_type\":\"client_credentials\",\"scope\":\"all\","
                    + "\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + SECRET + "\"}");
            case REVOKE -> send("/oauth2/revoke", FORM, "token=" + token, TestServer.basic(CLIENT, SECRET));
            case CLI_ADD -> throw new IllegalArgumentException("not a request");
        };
    }

    /** @return the access token (200), or null for a correct 503; anything else fails the test */
    private String token(Op op) {
        HttpResponse<String> r = request(op, null);
        if (r.statusCode() != 200) {
            assertUnavailable(op, r);
            return null;
        }
        JsonNode body = TestServer.json(r);
        if (op != Op.APP_KEY) return body.get("access_token").asText();
        String bearer = body.get("accessToken").asText();  // the app-key dialect says "Bearer <token>"
        assertTrue(bearer.startsWith("Bearer "), bearer);
        return bearer.substring("Bearer ".length());
    }

    private String issued(Op op) {
        String t = token(op);
        assertNotNull(t, op + " answered 503 with space left");
        return t;
    }

    /** @return true when acknowledged (200), false for a correct 503 */
    private boolean revoke(String token) {
        HttpResponse<String> r = request(Op.REVOKE, token);
        if (r.statusCode() == 200) return true;
        assertUnavailable(Op.REVOKE, r);
        return false;
    }

    private static void assertUnavailable(Op op, HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), op + ": " + r.body());
        String retryAfter = r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError(op + ": no Retry-After"));
        assertTrue(Long.parseLong(retryAfter) > 0, retryAfter);
        JsonNode body = TestServer.json(r);
        switch (op) {
            case STANDARD, REVOKE -> assertEquals("temporarily_unavailable", body.path("error").asText(), r.body());
            case APP_KEY -> {
                assertEquals(503, body.path("statusCode").asInt(), r.body());
                assertTrue(body.path("accessToken").isNull(), r.body());
            }
            case JSON_CC -> {
                assertEquals("240503", body.path(0).path("errorCode").asText(), r.body());
                assertEquals(503, body.path(0).path("status").asInt(), r.body());
            }
            case CLI_ADD -> fail();
        }
    }

    private boolean active(String token) {
        HttpResponse<String> r = send("/oauth2/introspect", FORM, "token=" + token, TestServer.basic(CLIENT, SECRET));
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r).path("active").asBoolean();
    }

    /** `gatehouse client add` as the CLI does it: its own Database on the same file. @return false on a clear 503-type failure */
    private boolean cliAdd(String id) throws Exception {
        try {
            return bounded(() -> {
                try (Database db = cli()) {
                    admin(db).add(id, Optional.of(SECRET), false, b -> b.tokenFormat(TokenFormat.OPAQUE));
                    return true;
                }
            });
        } catch (StoreUnavailableException e) {
            assertTrue(e.getMessage().contains("disk"), e.getMessage());
            return false;
        }
    }

    private String save(JdbcTokenStore tokens) throws Exception {
        Instant now = Instant.now();
        String hash = Tokens.hash(Tokens.random(random, 16));
        bounded(() -> {
            tokens.save(new TokenRecord(hash, TokenRecord.Kind.ACCESS, new ClientId(CLIENT), CLIENT, Scope.of("all"), now,
                    now.plusSeconds(3600), Optional.empty(), false));
            return null;
        });
        return hash;
    }

    /** Runs {@code work} with the 10 s bound; its own exceptions are rethrown as they are. */
    private <T> T bounded(Callable<T> work) throws Exception {
        Future<T> f = bounded.submit(work);
        try {
            return f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("did not finish within " + BOUND.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw (Error) e.getCause();
        }
    }

    // --- checks -----------------------------------------------------------------------------------------------------

    /** Every token in {@code active} is active, every one in {@code revoked} is not; the clients exist. */
    private void verify(List<String> active, List<String> revoked, List<String> clients) throws Exception {
        List<Future<?>> checks = new ArrayList<>();
        List<String> all = new ArrayList<>(active);
        all.addAll(revoked);
        Set<String> mustBeRevoked = Set.copyOf(revoked);
        int slice = (all.size() + 3) / 4;
        for (int from = 0; from < all.size(); from += slice) {
            List<String> part = all.subList(from, Math.min(all.size(), from + slice));
            checks.add(pool.submit(() -> {
                for (String t : part) {
                    assertEquals(!mustBeRevoked.contains(t), active(t), mustBeRevoked.contains(t)
                            ? "an acknowledged revocation was lost" : "an acknowledged token is not active");
                }
                return null;
            }));
        }
        for (Future<?> f : checks) f.get(60, TimeUnit.SECONDS);
        try (Database db = cli()) {
            JdbcClientRepository repo = new JdbcClientRepository(db);
            for (String id : clients) assertTrue(repo.find(new ClientId(id)).isPresent(), "client " + id + " lost");
        }
        assertEquals("ok", integrityCheck());
    }

    private String integrityCheck() throws SQLException {
        try (Connection c = plain(true); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) out.append(out.isEmpty() ? "" : "; ").append(rs.getString(1));
            return out.toString();
        }
    }

    private long longPragma(String name) throws SQLException {
        try (Connection c = plain(true); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma " + name)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    /** A connection of the test's own (SQLite shares its locks between connections of one process). */
    private Connection plain(boolean readOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(5_000);
        cfg.setReadOnly(readOnly);
        return cfg.createConnection("jdbc:sqlite:" + dir.resolve(DataDirectory.DB_FILE));
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private void assertNoStackTraceOrError() {
        for (ILoggingEvent e : List.copyOf(log.list)) {
            assertNull(e.getThrowableProxy(), () -> "stack trace in the log: " + e.getFormattedMessage() + ": "
                    + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
            assertTrue(e.getLevel().toInt() < Level.ERROR_INT, () -> "ERROR in the log: " + e.getFormattedMessage());
        }
    }

    private void printWarnings() {
        for (ILoggingEvent e : List.copyOf(log.list)) {
            if (e.getLevel().toInt() >= Level.WARN_INT) {
                System.out.println("disk full: log: " + e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage());
            }
        }
    }

    private static void assertNoStackTrace(String output) {
        assertFalse(output.contains("\tat ") || output.contains("Exception in thread"), output);
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private record Exec(int code, String output) {
    }

    private static Exec exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
