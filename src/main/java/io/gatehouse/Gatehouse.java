package io.gatehouse;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.admin.DemoSetup;
import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.Mount;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.ClientAuthenticator;
import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.TokenService;
import io.gatehouse.core.grant.ClientCredentialsGrant;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.core.token.keys.KeysAtRest;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.http.HttpServer;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Router;
import io.gatehouse.http.dialect.Dialects;
import io.gatehouse.http.endpoint.DiscoveryEndpoint;
import io.gatehouse.http.endpoint.JwksEndpoint;
import io.gatehouse.http.endpoint.MetricsEndpoint;
import io.gatehouse.http.endpoint.ProductEndpoint;
import io.gatehouse.http.endpoint.TokenEndpoint;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcAttemptCounters;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcCodeStore;
import io.gatehouse.store.jdbc.JdbcDemoData;
import io.gatehouse.store.jdbc.JdbcSessionStore;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import io.gatehouse.store.jdbc.JdbcTokenStore;
import io.gatehouse.store.jdbc.JdbcUserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The composition root: config, then DataSource, stores, keys, core, endpoints, server. The only class
 * that knows everything; wiring by hand.
 */
public final class Gatehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final Database db;
    private final HttpServer server;
    private final String issuer;
    private final PurgeScheduler purge;  // null when disabled
    private final KeyScheduler keyScheduler;
    private final Metrics metrics;
    private final AuditLogger audit;

    private Gatehouse(Database db, HttpServer server, String issuer, PurgeScheduler purge, KeyScheduler keyScheduler,
                      Metrics metrics, AuditLogger audit) {
        this.metrics = metrics;
        this.audit = audit;
        this.db = db;
        this.server = server;
        this.issuer = issuer;
        this.purge = purge;
        this.keyScheduler = keyScheduler;
    }

    /**
     * Starts a server; with port 0 the issuer's port is the one actually bound. The web server binds while the
     * database opens and migrates and the keys load (start-up time); until the routes are in place it answers
     * 503. Whatever fails, everything already started is closed again.
     */
    public static Gatehouse start(ServerConfig config, Clock clock) {
        Router router = new Router().clientAddresses(config.abuse().clientAddresses());
        CompletableFuture<HttpServer> binding = CompletableFuture.supplyAsync(
                () -> HttpServer.start(config.host(), config.port(), router, config.maxBodyBytes()),
                command -> Thread.ofPlatform().name("gatehouse-bind").start(command));
        // Loading Micrometer/Prometheus classes takes a few hundred ms: do it while the database opens.
        CompletableFuture<Metrics> metrics = config.metrics()
                ? CompletableFuture.supplyAsync(Gatehouse::prometheus,
                        r -> Thread.ofPlatform().daemon().name("gatehouse-metrics-init").start(r))
                : CompletableFuture.completedFuture(Metrics.disabled());
        Database db = null;
        try {
            long t0 = System.nanoTime();
            db = Database.open(config.database(), Database.Role.SERVER);
            Crypto.awaitInstall();  // keys must be generated and loaded under the provider that will use them
            var keyStore = new JdbcKeyStore(db);
            KeyProtection protection = keyProtection(config, db, keyStore, clock);
            var keys = new SigningKeys(keyStore, protection, clock);
            keys.ensure(List.of(SigningAlg.values()));
            Thread.ofPlatform().daemon().name("warm-up").start(keys::warmUp);
            LOG.debug("database and keys ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
            JdbcTokenStore tokens = new JdbcTokenStore(db);
            HttpServer server = join(binding);
            try {
                long tm = System.nanoTime();
                Metrics m = join(metrics);
                LOG.debug("waited {} ms for metrics", (System.nanoTime() - tm) / 1_000_000);
                return routes(config, db, clock, keyStore, keys, new JdbcClientRepository(db), tokens,
                        new SecureRandom(), router, server, m);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (RuntimeException e) {
            binding.thenAccept(HttpServer::close);  // if it bound after all
            if (db != null) db.close();
            throw e;
        }
    }

    /**
     * The key-encryption key from the config (see {@link KeyEncryption}), checked against the stored keys: every
     * stored key is opened before anything is written, so a wrong KEK or a corrupt row stops the start with nothing
     * changed. Keys still stored in plain form (from before encryption at rest) are then sealed under it.
     *
     * @throws KeyEncryption.Refused  no usable KEK, or not the one the keys were sealed under
     * @throws KeyProtection.Failure a stored key that does not open (named)
     */
    static KeyProtection keyProtection(ServerConfig config, Database db, JdbcKeyStore keyStore, Clock clock) {
        KeyEncryption.Resolved kek = KeyEncryption.resolve(config, keyStore);
        KeyProtection protection = kek.protection();
        KeysAtRest.openAll(keyStore, protection);
        String actor = "node " + hostForUrl(config.host()) + " (pid " + ProcessHandle.current().pid() + ", start-up)";
        List<String> sealed = KeysAtRest.sealPlain(keyStore, protection, AuditLogger.toLog(clock), actor);
        if (!sealed.isEmpty()) db.rewriteFile();  // no copy of the plain keys left in free space or the log
        LOG.info("signing keys encrypted at rest under KEK id {} (from {}){}", protection.kekId().orElseThrow(),
                kek.origin(), sealed.isEmpty() ? "" : "; encrypted " + sealed.size() + " key(s) stored in plain form");
        return protection;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private static Gatehouse routes(ServerConfig config, Database db, Clock clock, JdbcKeyStore keyStore, SigningKeys keys,
                                    JdbcClientRepository clients, JdbcTokenStore tokens, SecureRandom random,
                                    Router router, HttpServer server, Metrics metrics) {
        String issuer = config.issuer().orElseGet(() -> "http://" + hostForUrl(config.host()) + ":" + server.port());
        var audit = AuditLogger.toLog(clock);
        var rotation = new KeyRotation(keyStore, keys, config.keys().policy(), () -> KeyRotation.longestTokenLifetime(clients), audit,
                clock, List.of(SigningAlg.values()));
        String node = "node " + hostForUrl(config.host()) + ":" + server.port() + " (pid " + ProcessHandle.current().pid() + ")";
        KeyScheduler.run(rotation, keys, node);  // what fell due while no node ran (promotions, removals)
        metrics.signingKeys(keys::ring, clock);
        // One instance: it bounds concurrent Argon2id work, and the queue waiting for it, for the whole process.
        var hasher = new SecretHasher(config.abuse().hashQueueSize());
        var attemptCounters = new JdbcAttemptCounters(db);
        var limiter = new AttemptLimiter(attemptCounters, config.abuse().attempts(), clock);  // one per process
        var authenticator = new ClientAuthenticator(clients, hasher, limiter, random, audit);
        var issuerSvc = new TokenIssuer(issuer, keys, tokens, clock, random);
        var oidc = OidcWiring.create(db, issuer, clients, tokens, keys, issuerSvc, authenticator, hasher, limiter, metrics,
                audit, clock, random);
        var tokenService = new TokenService(authenticator, new ClientCredentialsGrant(issuerSvc), oidc.codeGrant(),
                oidc.refreshGrant());

        for (Mount m : config.mounts()) {
            router.post(m.path(), new TokenEndpoint(Dialects.create(m), tokenService, metrics.token(m.path(), m.dialect())));
        }
        oidc.route(router);
        String productAudience = config.resourceApiAccess().audience().orElse(issuer);
        if (config.resourceApi()) {
            var products = new ProductEndpoint(oidc.validator(), AccessTokenValidator.Audience.of(productAudience),
                    config.resourceApiAccess().requiredScope());
            router.get(ProductEndpoint.LIST_PATH, products::list);
            router.get(ProductEndpoint.GET_PATH, products::get);
        }
        if (config.demo()) {
            List<String> added = new DemoSetup(new ClientAdmin(clients, hasher, clock, random),
                    new UserAdmin(new JdbcUserStore(db), hasher, clock, random)).ensure();
            LOG.info("demo: {}", added.isEmpty() ? "demo clients already registered" : "registered " + added);
        } else {
            List<String> removed = new JdbcDemoData(db).removeAll();
            if (!removed.isEmpty()) {
                LOG.warn("demo: removed the demo data (well-known secrets) of an earlier start with --demo: {}", removed);
            }
        }
        var discovery = new DiscoveryEndpoint(metadata(issuer, config));
        router.get("/.well-known/openid-configuration", discovery);
        router.get("/.well-known/oauth-authorization-server", discovery);
        router.get("/jwks", new JwksEndpoint(keys, config.keys().jwksMaxAge()));
        if (metrics.enabled()) router.get(MetricsEndpoint.PATH, new MetricsEndpoint(metrics));

        router.ready();
        LOG.info("attempt limits: {} failures per account and address, {} per address, {} per account, in {} s windows; "
                        + "hashing queue {}; client address: {}", config.abuse().attempts().perAccountSource(),
                config.abuse().attempts().perSource(), config.abuse().attempts().perAccount(),
                config.abuse().attempts().window().toSeconds(), config.abuse().hashQueueSize(), config.abuse().clientAddresses());
        for (Mount m : config.mounts()) {
            LOG.info("mounted dialect '{}' at POST {}{}", m.dialect(), m.path(), m.options().isEmpty() ? "" : " " + m.options());
        }
        if (config.resourceApi()) {
            LOG.info("resource API at GET {} and GET {} (tokens with aud {}{})", ProductEndpoint.LIST_PATH,
                    ProductEndpoint.GET_PATH, productAudience,
                    config.resourceApiAccess().requiredScope().isEmpty() ? ""
                            : " and scope " + config.resourceApiAccess().requiredScope());
        }
        if (config.demo()) System.out.println(DemoSetup.instructions(issuer));  // multi-line: not through the log
        var housekeeping = new Housekeeping(tokens, new JdbcCodeStore(db), new JdbcSessionStore(db), attemptCounters, clock);
        return new Gatehouse(db, server, issuer, PurgeScheduler.start(housekeeping, config.purgeInterval()),
                KeyScheduler.start(rotation, keys, "schedule on " + node),
                metrics, audit);
    }

    private static Metrics prometheus() {
        long t0 = System.nanoTime();
        Metrics m = Metrics.prometheus();
        LOG.debug("metrics ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return m;
    }

    static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) return "localhost";
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static Map<String, Object> metadata(String issuer, ServerConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("jwks_uri", issuer + "/jwks");
        m.put("authorization_endpoint", issuer + OidcWiring.AUTHORIZE);
        m.put("userinfo_endpoint", issuer + OidcWiring.USERINFO);
        m.put("introspection_endpoint", issuer + OidcWiring.INTROSPECT);
        m.put("revocation_endpoint", issuer + OidcWiring.REVOKE);
        m.put("end_session_endpoint", issuer + OidcWiring.LOGOUT);
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("subject_types_supported", List.of("public"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        List<String> algs = new ArrayList<>();
        for (SigningAlg a : SigningAlg.values()) algs.add(a.name());
        m.put("id_token_signing_alg_values_supported", algs);
        m.put("access_token_signing_alg_values_supported", algs);
        m.put("scopes_supported", List.of("openid", "profile", "email", "phone", "address", "offline_access"));
        m.put("claims_supported", io.gatehouse.core.UserClaims.supported());
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("claims_parameter_supported", false);
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        return m;
    }

    public int port() {
        return server.port();
    }

    public String issuer() {
        return issuer;
    }

    /** The database in use, as the start-up log names it. */
    public String database() {
        return db.description();
    }

    @Override
    public void close() {
        if (purge != null) purge.close();
        keyScheduler.close();
        server.close();
        audit.close();  // the failures counted so far (after the server: no new ones)
        metrics.close();
        db.close();
    }
}
