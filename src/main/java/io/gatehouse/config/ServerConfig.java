package io.gatehouse.config;

import io.gatehouse.core.model.Acr;
import io.gatehouse.store.jdbc.DatabaseSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything `serve` needs, after defaults, config file, environment and flags were merged.
 *
 * @param database    which database (embedded SQLite in a data directory, or PostgreSQL) and how
 * @param issuer      the issuer identifier, the base of every advertised URL; empty means http://HOST:PORT
 *                    with the port actually bound
 * @param mounts      token endpoint mounts (path, dialect, options)
 * @param resourceApi whether the demo protected resource API is served
 * @param demo        register the demo clients and user when missing
 * @param purgeInterval how often expired rows are deleted; zero disables purging
 * @param metrics     whether {@code GET /metrics} (Prometheus text format) is served
 * @param keys        signing-key lifecycle settings
 * @param resourceApiAccess which tokens the resource API accepts (audience, required scope)
 * @param abuse       attempt limits, the hashing queue, trusted proxies
 * @param http        HTTP timeouts and limits, and the management listener (health, metrics)
 * @param acr         the acr values the ID token asserts for each way of signing in (config key acr-password)
 */
public record ServerConfig(String host, int port, DatabaseSettings database, Optional<String> issuer, List<Mount> mounts,
                           boolean resourceApi, boolean demo, int maxBodyBytes, Duration purgeInterval, boolean metrics,
                           KeyConfig keys, ResourceApiConfig resourceApiAccess, AbuseConfig abuse,
                           HttpConfig http, Acr acr) {
    public static final int DEFAULT_PORT = 9000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_BODY = 64 * 1024;
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(5);

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535");
        issuer.ifPresent(i -> {
            if (!(i.startsWith("http://") || i.startsWith("https://")) || i.endsWith("/") || i.contains("?") || i.contains("#")) {
                throw new IllegalArgumentException("issuer must be an http(s) URL without a trailing slash, query or fragment");
            }
        });
        mounts = List.copyOf(mounts);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body must be at least 1024 bytes");
        if (purgeInterval.isNegative()) throw new IllegalArgumentException("purge interval must not be negative");
        resourceApiAccess = resourceApiAccess == null ? ResourceApiConfig.defaults() : resourceApiAccess;
        if (abuse == null) abuse = AbuseConfig.defaults();
        if (acr == null) acr = Acr.DEFAULT;
        if (http.managementEnabled() && http.managementPort() != 0 && http.managementPort() == port) {
            throw new IllegalArgumentException("management-port must differ from port (" + port + ")");
        }
        if (http.maxBufferedRequestBytes() < maxBodyBytes) {
            throw new IllegalArgumentException("max-buffered-request-bytes must be at least max-body-bytes (" + maxBodyBytes + ")");
        }
        if (demo && !isLoopback(host)) {
            throw new IllegalArgumentException("demo mode registers clients and a user with well-known secrets, so it "
                    + "listens on loopback only (127.0.0.1, ::1 or localhost), not on '" + host + "': drop --demo, or "
                    + "use --host 127.0.0.1");
        }
    }

    /**
     * A loopback address by its text alone (no name lookup): {@code localhost}, an IPv4 literal in 127.0.0.0/8, or
     * {@code ::1} (also in brackets or written out in full).
     */
    public static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equalsIgnoreCase("localhost")) return true;
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) return false;
            }
            return true;
        }
        if (h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:]+")) {
            try {
                return java.net.InetAddress.getByName(h).isLoopbackAddress();  // an IPv6 literal: parsed, not looked up
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The default mounts: the standard dialect at the RFC path and at the seed 002 path, the app-key dialect
     * at the seed 000 path and the json-client-credentials dialect at the seed 001 path.
     */
    public static List<Mount> defaultMounts() {
        return List.of(
                new Mount("/oauth2/token", "standard", java.util.Map.of()),
                new Mount("/api/v1/oauth2/token", "standard", java.util.Map.of()),
                new Mount("/oauth/token/get", "app-key", java.util.Map.of()),
                new Mount("/v1/api/oauth/token", "json-client-credentials", java.util.Map.of()));
    }

    public ServerConfig withResourceApi(boolean on) {
        return new ServerConfig(host, port, database, issuer, mounts, on, demo, maxBodyBytes, purgeInterval, metrics, keys,
                resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withDemo(boolean on) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, on, maxBodyBytes, purgeInterval, metrics, keys,
                resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withPurgeInterval(Duration interval) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, interval, metrics, keys,
                resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withMetrics(boolean on) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, on, keys,
                resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withIssuer(String newIssuer) {
        return new ServerConfig(host, port, database, Optional.of(newIssuer), mounts, resourceApi, demo, maxBodyBytes,
                purgeInterval, metrics, keys, resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withMounts(List<Mount> newMounts) {
        return new ServerConfig(host, port, database, issuer, newMounts, resourceApi, demo, maxBodyBytes, purgeInterval,
                metrics, keys, resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withResourceApiAccess(ResourceApiConfig r) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics,
                keys, r, abuse, http, acr);
    }

    public ServerConfig withKeys(KeyConfig k) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics, k,
                resourceApiAccess, abuse, http, acr);
    }

    public ServerConfig withHttp(HttpConfig h) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics,
                keys, resourceApiAccess, abuse, h, acr);
    }

    public ServerConfig withAbuse(AbuseConfig a) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics,
                keys, resourceApiAccess, a, http, acr);
    }

    public ServerConfig withAcr(Acr a) {
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics,
                keys, resourceApiAccess, abuse, http, a);
    }

    public ServerConfig withDatabase(DatabaseSettings db) {
        return new ServerConfig(host, port, db, issuer, mounts, resourceApi, demo, maxBodyBytes, purgeInterval, metrics, keys,
                resourceApiAccess, abuse, http, acr);
    }

    /** A config for tests: port 0 (also for the management listener), the embedded database in {@code dataDir}, defaults elsewhere. */
    public static ServerConfig forTest(Path dataDir) {
        return new ServerConfig(DEFAULT_HOST, 0, DatabaseSettings.embedded(dataDir), Optional.empty(), defaultMounts(),
                true, false, DEFAULT_MAX_BODY, DEFAULT_PURGE_INTERVAL, true, KeyConfig.defaults(),
                ResourceApiConfig.defaults(), AbuseConfig.defaults(), HttpConfig.forTest(), Acr.DEFAULT);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + host + ":" + port + ", issuer=" + issuer.orElse("default") + "]";
    }
}
