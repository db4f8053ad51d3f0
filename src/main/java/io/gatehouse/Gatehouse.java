package io.gatehouse;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.admin.api.AdminApi;
import io.gatehouse.admin.console.Console;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.admin.DemoSetup;
import io.gatehouse.config.HttpConfig;
import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.Mount;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.ClientAuthenticator;
import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.TokenService;
import io.gatehouse.core.grant.ClientCredentialsGrant;
import io.gatehouse.core.model.RequestObjectSigningAlg;
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
import io.gatehouse.http.tls.ServerTls;
import io.gatehouse.http.endpoint.DiscoveryEndpoint;
import io.gatehouse.http.endpoint.HealthEndpoint;
import io.gatehouse.http.endpoint.JwksEndpoint;
import io.gatehouse.http.endpoint.MetricsEndpoint;
import io.gatehouse.http.endpoint.ProductEndpoint;
import io.gatehouse.http.endpoint.TokenEndpoint;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcAttemptCounters;
import io.gatehouse.store.jdbc.JdbcAuditEventStore;
import io.gatehouse.store.jdbc.JdbcConsentStore;
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
    /** The Strict-Transport-Security value sent on every public answer when the issuer is https. */
    public static final String HSTS = "max-age=31536000";

    private final Database db;
    private final Listeners listeners;
    private final String issuer;
    private final PurgeScheduler purge;  // null when disabled
    private final KeyScheduler keyScheduler;
    private final Metrics metrics;
    private final AuditLogger audit;
    private final StartupPhases phases;

    private Gatehouse(Database db, Listeners listeners, String issuer, PurgeScheduler purge, KeyScheduler keyScheduler,
                      Metrics metrics, AuditLogger audit, StartupPhases phases) {
        this.phases = phases;
        this.metrics = metrics;
        this.audit = audit;
        this.db = db;
        this.listeners = listeners;
        this.issuer = issuer;
        this.purge = purge;
        this.keyScheduler = keyScheduler;
    }

    /**
     * The public listener (protocol endpoints) and the management listener (health, metrics; null when turned off),
     * with what the management routes learn only once start-up is done.
     */
    private record Listeners(HttpServer server, HttpServer management, HealthEndpoint health,
                             java.util.concurrent.atomic.AtomicReference<Metrics> metrics) implements AutoCloseable {
        /** @param tls https on the public listener (null: plain http), owned by the listener from here on */
        static Listeners start(ServerConfig config, Router router, ServerTls tls) {
            HealthEndpoint health = new HealthEndpoint();
            var metrics = new java.util.concurrent.atomic.AtomicReference<Metrics>();
            HttpServer server = HttpServer.start("public", config.host(), config.port(), router, config.maxBodyBytes(),
                    config.http(), tls);
            HttpConfig http = config.http();
            if (!http.managementEnabled()) return new Listeners(server, null, health, metrics);
            Router management = new Router();
            management.get(HealthEndpoint.LIVE, health::live);
            management.get(HealthEndpoint.READY, health::ready);
            if (config.metrics()) management.get(MetricsEndpoint.PATH, MetricsEndpoint.late(metrics::get));
            management.ready();
            try {
                // A few connections (probes, a scraper) and no request bodies to speak of.
                return new Listeners(server, HttpServer.start("management", http.managementHost(), http.managementPort(),
                        management, 8 * 1024, http.withLimits(64, 16, 64 * 1024)), health, metrics);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        public void close() {
            health.stopping();
            server.close();
            if (management != null) management.close();
        }
    }

    /**
     * Starts a server; with port 0 the issuer's port is the one actually bound. The web server binds while the
     * database opens and migrates and the keys load (start-up time); until the routes are in place it answers
     * 503. Whatever fails, everything already started is closed again.
     */
    public static Gatehouse start(ServerConfig config, Clock clock) {
        StartupPhases phases = new StartupPhases();
        Router router = new Router().clientAddresses(config.abuse().clientAddresses());
        // Read first: unusable TLS files stop the start (TlsCredential.Refused) before anything else happens.
        ServerTls tls = config.http().tls()
                .map(files -> ServerTls.start(files, config.database().allowInsecurePermissions(), clock)).orElse(null);
        long tb = System.nanoTime();
        CompletableFuture<Listeners> binding = CompletableFuture.supplyAsync(() -> {
                    Listeners l = Listeners.start(config, router, tls);
                    phases.background(StartupPhases.Phase.HTTP, tb);
                    return l;
                }, command -> Thread.ofPlatform().name("gatehouse-bind").start(command));
        // Loading Micrometer/Prometheus classes takes a few hundred ms: do it while the database opens.
        CompletableFuture<Metrics> metrics = config.metrics()
                ? CompletableFuture.supplyAsync(() -> {
                            Metrics m = Metrics.prometheus();
                            phases.background(StartupPhases.Phase.METRICS, tb);
                            return m;
                        }, r -> Thread.ofPlatform().daemon().name("gatehouse-metrics-init").start(r))
                : CompletableFuture.completedFuture(Metrics.disabled());
        Database db = null;
        try {
            long t0 = System.nanoTime();
            db = Database.open(config.database(), Database.Role.SERVER);
            phases.done(StartupPhases.Phase.DATABASE, t0);
            long tw = System.nanoTime();
            Crypto.awaitInstall();  // keys must be generated and loaded under the provider that will use them
            phases.waited(StartupPhases.Phase.CRYPTO, tw);
            long tk = System.nanoTime();
            var keyStore = new JdbcKeyStore(db);
            KeyProtection protection = keyProtection(config, db, keyStore, clock);
            var keys = new SigningKeys(keyStore, protection, clock);
            keys.ensure(List.of(SigningAlg.values()));
            Thread.ofPlatform().daemon().name("warm-up").start(keys::warmUp);
            phases.done(StartupPhases.Phase.KEYS, tk);
            JdbcTokenStore tokens = new JdbcTokenStore(db);
            long tj = System.nanoTime();
            Listeners server = join(binding);
            phases.waited(StartupPhases.Phase.HTTP, tj);
            try {
                tj = System.nanoTime();
                Metrics m = join(metrics);
                if (config.metrics()) phases.waited(StartupPhases.Phase.METRICS, tj);
                long tr = System.nanoTime();
                Gatehouse gh = routes(config, db, clock, keyStore, keys, new JdbcClientRepository(db), tokens,
                        new SecureRandom(), router, server, m, phases);
                phases.done(StartupPhases.Phase.ROUTES, tr);
                return gh;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (RuntimeException e) {
            binding.thenAccept(Listeners::close);  // if it bound after all
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
                                    Router router, Listeners listeners, Metrics metrics, StartupPhases phases) {
        HttpServer server = listeners.server();
        String issuer = config.issuer().orElseGet(() -> server.scheme() + "://" + hostForUrl(config.host()) + ":" + server.port());
        if (issuer.startsWith("https://")) {
            // RFC 6797: browsers that reached us over https once use nothing else for a year (TLS here or at a proxy)
            router.alwaysHeader("Strict-Transport-Security", HSTS);
        } else if (server.scheme().equals("https")) {
            LOG.warn("the issuer {} is http, but the public listener serves https: tokens and discovery name http URLs",
                    issuer);
        }
        var auditEvents = new JdbcAuditEventStore(db);
        var audit = AuditLogger.toLogAndStore(clock, auditEvents);
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
        var oidc = OidcWiring.create(db, issuer, config.acr(), clients, tokens, keys, issuerSvc, authenticator, hasher,
                limiter, metrics, audit, clock, random);
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
        AdminApi.Services admin = adminServices(config, db, clock, random, clients, hasher, audit, auditEvents, rotation);
        new AdminApi(admin, oidc.validator(), new JdbcUserStore(db), issuer).route(router);
        new Console(new Console.Services(admin, tokenService, oidc.validator(), new JdbcUserStore(db), metrics, issuer, clock,
                random)).route(router);
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
        metrics.listener(server);
        if (listeners.management() != null) metrics.listener(listeners.management());
        listeners.metrics().set(metrics);  // GET /metrics on the management listener
        listeners.health().ready(readiness(db, keys));

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
        var housekeeping = new Housekeeping(tokens, new JdbcCodeStore(db), new JdbcSessionStore(db), attemptCounters,
                auditEvents, clock);
        return new Gatehouse(db, listeners, issuer, PurgeScheduler.start(housekeeping, config.purgeInterval()),
                KeyScheduler.start(rotation, keys, "schedule on " + node),
                metrics, audit, phases);
    }

    /** The admin use cases of the API and the console (as the CLI's); each change audited as made by its caller. */
    private static AdminApi.Services adminServices(ServerConfig config, Database db, Clock clock, SecureRandom random,
                                                   JdbcClientRepository clients, SecretHasher hasher, AuditLogger audit,
                                                   JdbcAuditEventStore auditEvents, KeyRotation rotation) {
        var users = new JdbcUserStore(db);
        var access = new UserAccessAdmin(users, new JdbcSessionStore(db), new JdbcCodeStore(db), new JdbcConsentStore(db, clock),
                clock, audit, "api");
        return new AdminApi.Services(new ClientAdmin(clients, hasher, clock, random, audit, "api"),
                new UserAdmin(users, hasher, clock, random, audit, "api"), access, rotation, auditEvents, config.mounts());
    }

    /**
     * What {@code GET /health/ready} checks: the database answers a trivial query (within the endpoint's 1 s), and
     * this node has an active signing key loaded for every algorithm. The reasons are fixed texts: no database message
     * (it could name a host or a user) reaches the answer.
     */
    static Map<String, HealthEndpoint.Check> readiness(Database db, SigningKeys keys) {
        Map<String, HealthEndpoint.Check> checks = new LinkedHashMap<>();
        checks.put("database", () -> {
            try (java.sql.Connection c = db.reads().getConnection(); java.sql.Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                try (java.sql.ResultSet rs = st.executeQuery("select count(*) from \"flyway_schema_history\"")) {
                    return rs.next() ? java.util.Optional.empty() : java.util.Optional.of("no answer");
                }
            } catch (java.sql.SQLException e) {
                return java.util.Optional.of("unavailable");
            }
        });
        checks.put("signing_keys", () -> {
            java.util.Set<SigningAlg> active = java.util.EnumSet.noneOf(SigningAlg.class);
            for (SigningKeys.Key k : keys.all()) {
                if (k.state() == io.gatehouse.core.port.KeyStore.State.ACTIVE) active.add(k.alg());
            }
            List<SigningAlg> missing = java.util.Arrays.stream(SigningAlg.values()).filter(a -> !active.contains(a)).toList();
            return missing.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("no active key for " + missing);
        });
        return checks;
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
        m.put("claims_parameter_supported", true);
        m.put("acr_values_supported", config.acr().supported());
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("request_parameter_supported", true);
        m.put("request_uri_parameter_supported", false);
        List<String> requestObjectAlgs = new ArrayList<>();
        for (RequestObjectSigningAlg a : RequestObjectSigningAlg.values()) requestObjectAlgs.add(a.wireName());
        m.put("request_object_signing_alg_values_supported", requestObjectAlgs);
        return m;
    }

    public int port() {
        return listeners.server().port();
    }

    /** The public listener's URL as bound: http(s)://HOST:PORT (the issuer may differ, e.g. behind a proxy). */
    public String url(String host) {
        return listeners.server().scheme() + "://" + hostForUrl(host) + ":" + port();
    }

    /** The management listener's port, or -1 when it is turned off. */
    public int managementPort() {
        return listeners.management() == null ? -1 : listeners.management().port();
    }

    /** The public listener (tests look at its connections). */
    public HttpServer publicListener() {
        return listeners.server();
    }

    public String issuer() {
        return issuer;
    }

    /** How long the phases of this start took (database, keys, listeners, routes, ...), for the ready line. */
    public StartupPhases startupPhases() {
        return phases;
    }

    /** The database in use, as the start-up log names it. */
    public String database() {
        return db.description();
    }

    @Override
    public void close() {
        if (purge != null) purge.close();
        keyScheduler.close();
        listeners.close();
        audit.close();  // the failures counted so far (after the listeners: no new ones)
        metrics.close();
        db.close();
    }
}
