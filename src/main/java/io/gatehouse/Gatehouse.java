package io.gatehouse;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.admin.DemoSetup;
import io.gatehouse.config.Mount;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.ClientAuthenticator;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.TokenService;
import io.gatehouse.core.grant.ClientCredentialsGrant;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.http.HttpServer;
import io.gatehouse.http.Router;
import io.gatehouse.http.dialect.Dialects;
import io.gatehouse.http.endpoint.DiscoveryEndpoint;
import io.gatehouse.http.endpoint.JwksEndpoint;
import io.gatehouse.http.endpoint.ProductEndpoint;
import io.gatehouse.http.endpoint.TokenEndpoint;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
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

/**
 * The composition root: config, then DataSource, stores, keys, core, endpoints, server. The only class
 * that knows everything; wiring by hand.
 */
public final class Gatehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final Database db;
    private final JdbcTokenStore tokens;
    private final HttpServer server;
    private final String issuer;

    private Gatehouse(Database db, JdbcTokenStore tokens, HttpServer server, String issuer) {
        this.db = db;
        this.tokens = tokens;
        this.server = server;
        this.issuer = issuer;
    }

    /** Starts a server; with port 0 the issuer's port is the one actually bound. */
    public static Gatehouse start(ServerConfig config, Clock clock) {
        long t0 = System.nanoTime();
        Database db = Database.open(config.jdbcUrl(), config.dbUser().orElse(null), config.dbPassword().orElse(null),
                config.dbPoolSize());
        LOG.debug("db ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        try {
            return wire(config, db, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Gatehouse wire(ServerConfig config, Database db, Clock clock) {
        SecureRandom random = new SecureRandom();
        var clients = new JdbcClientRepository(db.dataSource());
        var tokens = new JdbcTokenStore(db.dataSource());
        var keys = new SigningKeys(new JdbcKeyStore(db.dataSource()), clock);
        long t0 = System.nanoTime();
        keys.ensure(List.of(SigningAlg.values()));
        LOG.debug("keys ready in {} ms", (System.nanoTime() - t0) / 1_000_000);

        // Without a configured issuer it is http://HOST:PORT with the port actually bound (port 0 in tests),
        // so the server binds first and answers 503 until the routes are in place.
        Router router = new Router();
        HttpServer server = null;
        try {
            server = HttpServer.start(config.host(), config.port(), router, config.maxBodyBytes());
            return routes(config, db, clock, keys, clients, tokens, random, router, server);
        } catch (RuntimeException e) {
            if (server != null) server.close();
            tokens.close();
            throw e;
        }
    }

    private static Gatehouse routes(ServerConfig config, Database db, Clock clock, SigningKeys keys,
                                    JdbcClientRepository clients, JdbcTokenStore tokens, SecureRandom random,
                                    Router router, HttpServer server) {
        String issuer = config.issuer().orElseGet(() -> "http://" + hostForUrl(config.host()) + ":" + server.port());
        var hasher = new SecretHasher();   // one instance: it bounds concurrent Argon2id work for the whole process
        var authenticator = new ClientAuthenticator(clients, hasher, clock, random);
        var issuerSvc = new TokenIssuer(issuer, keys, tokens, clock, random);
        var oidc = OidcWiring.create(db, issuer, clients, tokens, keys, issuerSvc, authenticator, hasher, clock, random);
        var tokenService = new TokenService(authenticator, new ClientCredentialsGrant(issuerSvc), oidc.codeGrant(),
                oidc.refreshGrant());

        for (Mount m : config.mounts()) {
            router.post(m.path(), new TokenEndpoint(Dialects.create(m), tokenService));
        }
        oidc.route(router);
        if (config.resourceApi()) {
            var products = new ProductEndpoint(oidc.validator());
            router.get(ProductEndpoint.LIST_PATH, products::list);
            router.get(ProductEndpoint.GET_PATH, products::get);
        }
        if (config.demo()) {
            List<String> added = new DemoSetup(new ClientAdmin(clients, new SecretHasher(), clock, random),
                    new UserAdmin(new JdbcUserStore(db.dataSource()), new SecretHasher(), clock, random)).ensure();
            LOG.info("demo: {}", added.isEmpty() ? "demo clients already registered" : "registered " + added);
        }
        var discovery = new DiscoveryEndpoint(metadata(issuer, config));
        router.get("/.well-known/openid-configuration", discovery);
        router.get("/.well-known/oauth-authorization-server", discovery);
        router.get("/jwks", new JwksEndpoint(keys));

        router.ready();
        for (Mount m : config.mounts()) {
            LOG.info("mounted dialect '{}' at POST {}{}", m.dialect(), m.path(), m.options().isEmpty() ? "" : " " + m.options());
        }
        if (config.resourceApi()) LOG.info("resource API at GET {} and GET {}", ProductEndpoint.LIST_PATH, ProductEndpoint.GET_PATH);
        if (config.demo()) System.out.println(DemoSetup.instructions(issuer));  // multi-line: not through the log
        return new Gatehouse(db, tokens, server, issuer);
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

    @Override
    public void close() {
        server.close();
        tokens.close();
        db.close();
    }
}
