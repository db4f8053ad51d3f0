package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.Gatehouse;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The real wiring on port 0 with a fresh embedded database in a new directory (deleted on close), plus a real HTTP client. Signing keys are
 * generated once per JVM and copied into each fresh database (key generation is the slow part of a start), in plain
 * form: the server generates its key-encryption key ({@code DATA/gatehouse.kek}) and encrypts them at its start, as
 * after an upgrade. {@link #privateJwk} opens one again.
 */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<KeyStore.StoredKey> sharedKeys;

    public final Gatehouse gatehouse;
    public final String base;
    /** The management listener (health, metrics): http://127.0.0.1:PORT, or null when it is turned off. */
    public final String management;
    public final Database db;
    public final ClientAdmin clients;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final Path dataDir;
    private final ServerConfig config;

    private TestServer(Gatehouse gatehouse, Database db, Path dataDir, ServerConfig config) {
        this.gatehouse = gatehouse;
        this.dataDir = dataDir;
        this.config = config;
        this.base = gatehouse.issuer();
        this.management = gatehouse.managementPort() < 0 ? null : "http://127.0.0.1:" + gatehouse.managementPort();
        this.db = db;
        this.clients = new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /** @param customize adjusts the default test config (port 0, fresh embedded database) */
    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        return start(customize, Clock.systemUTC());
    }

    /** @param clock the server's clock (e.g. a {@link MutableClock} to test expiry) */
    public static TestServer start(UnaryOperator<ServerConfig> customize, Clock clock) {
        Path dir = TestDb.tempDir("server");
        ServerConfig cfg = customize.apply(ServerConfig.forTest(dir));
        Database db = Database.open(cfg.database(), Database.Role.CLI);
        try {
            JdbcKeyStore keyStore = new JdbcKeyStore(db);
            for (KeyStore.StoredKey k : keys()) keyStore.insert(k);
            return new TestServer(Gatehouse.start(cfg, clock), db, dir, cfg);
        } catch (RuntimeException e) {
            db.close();
            TestDb.deleteTree(dir);
            throw e;
        }
    }

    /** Signing keys generated once per JVM; copy them into a fresh database to skip key generation. */
    public static synchronized List<KeyStore.StoredKey> keys() {
        if (sharedKeys == null) {
            Fakes.Keys mem = new Fakes.Keys();
            new SigningKeys(mem, io.gatehouse.core.token.keys.KeyProtection.plaintext(), Clock.systemUTC()).ensure(List.of(SigningAlg.values()));
            sharedKeys = mem.all();
        }
        return sharedKeys;
    }

    /**
     * The private JWK of this server's {@code alg} key, opened as the server opens it (the stored one is encrypted
     * under the KEK the server generated in its data directory): for tests that forge tokens with the real key.
     */
    public String privateJwk(SigningAlg alg) {
        JdbcKeyStore store = new JdbcKeyStore(db);
        KeyStore.StoredKey k = store.all().stream().filter(x -> x.alg() == alg && x.state() == KeyStore.State.ACTIVE)
                .findFirst().orElseThrow();
        return KeyEncryption.resolve(config, store, false).protection().open(k);
    }

    /** The data directory of this server's embedded database. */
    public Path dataDir() {
        return dataDir;
    }

    /** Registers a confidential client with the given secret. */
    public Client addClient(String id, String secret, Consumer<Client.Builder> settings) {
        return clients.add(id, Optional.of(secret), false, settings).client();
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    /** GET on the management listener (health, metrics). */
    public HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create(management + path)).GET());
    }

    public HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        return postBytes(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> postBytes(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b, headers);
    }

    public HttpResponse<String> form(String path, String body, String... headers) {
        return post(path, "application/x-www-form-urlencoded", body, headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** "Authorization", "Basic ..." with RFC 6749 §2.3.1 form-encoding of both parts. */
    public static String[] basic(String id, String secret) {
        String raw = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return new String[]{"Authorization", "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))};
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** Decodes a JWT's header (index 0) or claims (index 1) without verifying. */
    public static JsonNode jwtPart(String jwt, int index) {
        String[] parts = jwt.split("\\.");
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[index]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        gatehouse.close();
        db.close();
        TestDb.deleteTree(dataDir);
    }
}
