package io.gatehouse.http;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.model.TokenRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the HTTP layer, exported in Prometheus text format by {@code GET /metrics}. Tags hold
 * only bounded values (mount path, dialect, grant type, OAuth error code, fixed outcomes), never a client id or
 * a username. {@link #disabled()} hands out no-op meters, so instrumented code needs no checks.
 */
public final class Metrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;  // null when disabled
    private final AutoCloseable gc;  // its GC notification listeners must be removed on close
    private final Counter[] authorize = new Counter[AuthorizeOutcome.values().length];
    private final Counter[] login = new Counter[LoginOutcome.values().length];
    private final MinuteRing tokensIssued = new MinuteRing(System::currentTimeMillis);
    private final MinuteRing failedAuthentications = new MinuteRing(System::currentTimeMillis);

    /** Outcomes of GET/POST /oauth2/authorize. */
    public enum AuthorizeOutcome {
        /** redirected back with a code */ CODE,
        /** redirected back with an OAuth error (e.g. login_required, access_denied) */ ERROR_REDIRECT,
        /** an error page (unknown client, bad redirect URI, malformed request) */ ERROR_PAGE,
        /** the sign-in page was shown */ LOGIN,
        /** the consent page was shown */ CONSENT
    }

    /** Outcomes of POST /login; {@code THROTTLED} is an attempt refused unchecked (429 attempt limit, or 503 hashing queue full). */
    public enum LoginOutcome { SUCCESS, FAILURE, THROTTLED }

    private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, AutoCloseable gc) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.gc = gc;
        for (AuthorizeOutcome o : AuthorizeOutcome.values()) {
            authorize[o.ordinal()] = Counter.builder("gatehouse.authorize.requests").description("Authorization requests by outcome")
                    .tag("outcome", tagValue(o)).register(registry);
        }
        for (LoginOutcome o : LoginOutcome.values()) {
            login[o.ordinal()] = Counter.builder("gatehouse.logins").description("Sign-in attempts by outcome")
                    .tag("outcome", tagValue(o)).register(registry);
        }
    }

    /** Prometheus registry with JVM memory, GC, thread, CPU and uptime meters. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(p);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(p);
        new JvmThreadMetrics().bindTo(p);
        new ProcessorMetrics().bindTo(p);
        new UptimeMetrics().bindTo(p);
        return new Metrics(p, p, gc);
    }

    /** Metrics off: every meter is a no-op and there is nothing to scrape. */
    public static Metrics disabled() {
        return new Metrics(new CompositeMeterRegistry(), null, () -> { });
    }

    @Override
    public void close() {
        try {
            gc.close();
        } catch (Exception e) {
            // nothing to do: the process is stopping this server
        }
        registry.close();
    }

    public boolean enabled() {
        return prometheus != null;
    }

    /** The Prometheus text exposition, empty when metrics are off. */
    public Optional<String> scrape() {
        return prometheus == null ? Optional.empty() : Optional.of(prometheus.scrape());
    }

    public void authorize(AuthorizeOutcome outcome) {
        authorize[outcome.ordinal()].increment();
    }

    public void login(LoginOutcome outcome) {
        login[outcome.ordinal()].increment();
        if (outcome == LoginOutcome.FAILURE) failedAuthentications.increment();
    }

    /** Tokens issued per minute (every successful token request), kept also when metrics are off (admin console). */
    public MinuteRing tokensIssued() {
        return tokensIssued;
    }

    /** Failed authentications per minute: wrong passwords at sign-in and {@code invalid_client} at the token endpoints. */
    public MinuteRing failedAuthentications() {
        return failedAuthentications;
    }

    /**
     * Signing-key gauges, read at scrape time from this node's loaded keys: {@code gatehouse_signing_keys{state}}
     * (how many keys are next, active, retired) and {@code gatehouse_signing_key_active_age_seconds{alg}} (how old
     * the active key of each algorithm is, counted from its activation).
     */
    public void signingKeys(java.util.function.Supplier<io.gatehouse.core.token.keys.KeyRing> ring, java.time.Clock clock) {
        for (io.gatehouse.core.port.KeyStore.State st : io.gatehouse.core.port.KeyStore.State.values()) {
            io.micrometer.core.instrument.Gauge.builder("gatehouse.signing.keys",
                            () -> ring.get().keys().stream().filter(k -> k.state() == st).count())
                    .description("Signing keys by state").tag("state", tagValue(st)).register(registry);
        }
        for (io.gatehouse.core.model.SigningAlg alg : io.gatehouse.core.model.SigningAlg.values()) {
            io.micrometer.core.instrument.Gauge.builder("gatehouse.signing.key.active.age", () -> ring.get().active(alg)
                            .map(k -> java.time.Duration.between(k.activatedAt().orElse(k.createdAt()), clock.instant()).toSeconds())
                            .orElse(-1L))
                    .description("Age of the active signing key in seconds (-1: none)").baseUnit("seconds")
                    .tag("alg", alg.name()).register(registry);
        }
    }

    /**
     * A listener's connections: {@code gatehouse_http_connections{listener}} (open now) and
     * {@code gatehouse_http_connection_events_total{listener,event}} (timeouts, cut-off requests, waits for buffer room,
     * 503 when busy; see {@link ConnectionGuard.Events.Kind}), read at scrape time.
     */
    public void listener(HttpServer server) {
        io.micrometer.core.instrument.Gauge.builder("gatehouse.http.connections", server::openConnections)
                .description("Open connections").tag("listener", server.name()).register(registry);
        for (ConnectionGuard.Events.Kind k : ConnectionGuard.Events.Kind.values()) {
            io.micrometer.core.instrument.FunctionCounter.builder("gatehouse.http.connection.events", server.events(),
                            e -> e.total(k))
                    .description("Connection-level events: timeouts, cut-off requests, waits for buffer room, 503 when busy")
                    .tag("listener", server.name()).tag("event", tagValue(k)).register(registry);
        }
    }

    /** The meters of one token endpoint mount. */
    public TokenMeters token(String path, String dialect) {
        return new TokenMeters(path, dialect);
    }

    private static String tagValue(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Token request counter and timer of one mount, tagged path, dialect, grant_type and outcome ({@code ok} or
     * the OAuth error code). The {@code ok} meters exist from the start; error meters are made on first use and
     * cached, so a request costs an array or map lookup and no string building.
     */
    public final class TokenMeters {
        /** grant_type tag when the request did not parse far enough to know it */
        static final String UNKNOWN = "unknown";
        private static final String[] GRANTS = {UNKNOWN, "client_credentials", "authorization_code", "refresh_token"};

        private final String path;
        private final String dialect;
        private final Pair[] ok = new Pair[GRANTS.length];
        @SuppressWarnings("unchecked")
        private final ConcurrentHashMap<String, Pair>[] errors = new ConcurrentHashMap[GRANTS.length];

        private record Pair(Counter counter, Timer timer) {
        }

        private TokenMeters(String path, String dialect) {
            this.path = path;
            this.dialect = dialect;
            for (int g = 0; g < GRANTS.length; g++) {
                errors[g] = new ConcurrentHashMap<>();
                if (g > 0) ok[g] = pair(g, "ok");
            }
        }

        private Pair pair(int grant, String outcome) {
            String[] tags = {"path", path, "dialect", dialect, "grant_type", GRANTS[grant], "outcome", outcome};
            return new Pair(Counter.builder("gatehouse.token.requests").description("Token requests").tags(tags).register(registry),
                    Timer.builder("gatehouse.token.request.duration").description("Token request handling time")
                            .tags(tags).register(registry));
        }

        /** @param request null when the request did not parse */
        public void ok(TokenRequest request, long startNanos) {
            record(ok[grant(request)], startNanos);
            tokensIssued.increment();
        }

        public void error(TokenRequest request, OAuthError error, long startNanos) {
            int g = grant(request);
            if (error instanceof OAuthError.InvalidClient) failedAuthentications.increment();
            record(errors[g].computeIfAbsent(error.code(), code -> pair(g, code)), startNanos);
        }

        private static void record(Pair p, long startNanos) {
            p.counter.increment();
            p.timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }

        private static int grant(TokenRequest r) {
            return switch (r) {
                case null -> 0;
                case TokenRequest.ClientCredentials c -> 1;
                case TokenRequest.AuthorizationCode c -> 2;
                case TokenRequest.RefreshToken t -> 3;
            };
        }
    }
}
