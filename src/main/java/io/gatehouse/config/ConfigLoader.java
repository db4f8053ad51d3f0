package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.token.keys.KeyPolicy;
import io.gatehouse.http.Json;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.Durability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link ServerConfig}: built-in defaults, then the JSON config file, then GATEHOUSE_* environment
 * variables, then command-line flags (each later source wins). Unknown config-file keys are an error, so a
 * typo is never silently ignored.
 */
public final class ConfigLoader {
    /** Values given on the command line (null when not given). */
    public record Flags(String host, Integer port, Path data, String dbUrl, String issuer, Path config, Boolean demo,
                        Boolean allowInsecurePermissions, Path kekFile) {
        public Flags(String host, Integer port, Path data, String dbUrl, String issuer, Path config, Boolean demo,
                     Boolean allowInsecurePermissions) {
            this(host, port, data, dbUrl, issuer, config, demo, allowInsecurePermissions, null);
        }

        public Flags(String host, Integer port, Path data, String dbUrl, String issuer, Path config, Boolean demo) {
            this(host, port, data, dbUrl, issuer, config, demo, null, null);
        }
    }

    static final Set<String> KEYS = Set.of("host", "port", "data", "db-url", "db-user", "db-password", "issuer",
            "mounts", "resource-api", "demo", "max-body-bytes", "db-pool-size", "purge-interval-seconds", "metrics", "durability",
            "allow-insecure-permissions", "jwks-max-age-seconds", "key-rotation-days", "kek-file",
            "resource-api-audience", "resource-api-scope", "acr-password");
    /** The keys of {@link HttpConfig}: timeouts, limits, management listener. */
    static final Set<String> HTTP_KEYS = Set.of("header-timeout-seconds", "body-timeout-seconds", "idle-timeout-seconds",
            "max-connections", "max-concurrent-requests", "max-buffered-request-bytes", "management-enabled",
            "management-host", "management-port", "tls-cert", "tls-key");

    private ConfigLoader() {
    }

    public static ServerConfig load(Flags flags, Map<String, String> env) {
        Path configFile = flags.config() != null ? flags.config()
                : env.containsKey("GATEHOUSE_CONFIG") ? Path.of(env.get("GATEHOUSE_CONFIG")) : null;
        JsonNode file = configFile == null ? null : readFile(configFile);

        String host = pick(flags.host(), env.get("GATEHOUSE_HOST"), text(file, "host"), ServerConfig.DEFAULT_HOST);
        int port = parseInt("port", pick(flags.port() == null ? null : flags.port().toString(), env.get("GATEHOUSE_PORT"),
                text(file, "port"), Integer.toString(ServerConfig.DEFAULT_PORT)));
        Path data = Path.of(pick(flags.data() == null ? null : flags.data().toString(), env.get("GATEHOUSE_DATA"),
                text(file, "data"), "./data"));
        Optional<String> dbUrl = Optional.ofNullable(pick(flags.dbUrl(), env.get("GATEHOUSE_DB_URL"), text(file, "db-url"), null));
        Optional<String> dbUser = Optional.ofNullable(pick(null, env.get("GATEHOUSE_DB_USER"), text(file, "db-user"), null));
        Optional<String> dbPassword = Optional.ofNullable(pick(null, env.get("GATEHOUSE_DB_PASSWORD"), text(file, "db-password"), null));
        Optional<String> issuer = Optional.ofNullable(pick(flags.issuer(), env.get("GATEHOUSE_ISSUER"), text(file, "issuer"), null));
        boolean resourceApi = Boolean.parseBoolean(pick(null, env.get("GATEHOUSE_RESOURCE_API"), text(file, "resource-api"), "true"));
        boolean demo = Boolean.TRUE.equals(flags.demo())
                || Boolean.parseBoolean(pick(null, env.get("GATEHOUSE_DEMO"), text(file, "demo"), "false"));
        int maxBody = parseInt("max-body-bytes", pick(null, null, text(file, "max-body-bytes"),
                Integer.toString(ServerConfig.DEFAULT_MAX_BODY)));
        int pool = parseInt("db-pool-size", pick(null, env.get("GATEHOUSE_DB_POOL_SIZE"), text(file, "db-pool-size"), "10"));
        int purge = parseInt("purge-interval-seconds", pick(null, env.get("GATEHOUSE_PURGE_INTERVAL_SECONDS"),
                text(file, "purge-interval-seconds"), Long.toString(ServerConfig.DEFAULT_PURGE_INTERVAL.toSeconds())));
        if (purge < 0) throw new IllegalArgumentException("purge-interval-seconds must be 0 (off) or more");
        boolean metrics = parseBoolean("metrics", pick(null, env.get("GATEHOUSE_METRICS"), text(file, "metrics"), "true"));
        List<Mount> mounts = file != null && file.has("mounts") ? mounts(file.get("mounts")) : ServerConfig.defaultMounts();
        Durability durability = Durability.parse(pick(null, env.get("GATEHOUSE_DURABILITY"), text(file, "durability"), "full"));
        boolean insecure = Boolean.TRUE.equals(flags.allowInsecurePermissions()) || parseBoolean("allow-insecure-permissions",
                pick(null, env.get("GATEHOUSE_ALLOW_INSECURE_PERMISSIONS"), text(file, "allow-insecure-permissions"), "false"));
        if (pool < 1) throw new IllegalArgumentException("db-pool-size must be at least 1");
        var database = new DatabaseSettings(dbUrl, dbUser, dbPassword, pool, data, durability, insecure);
        int maxAge = parseInt("jwks-max-age-seconds", pick(null, env.get("GATEHOUSE_JWKS_MAX_AGE_SECONDS"),
                text(file, "jwks-max-age-seconds"), Long.toString(KeyPolicy.DEFAULT_JWKS_MAX_AGE.toSeconds())));
        int rotationDays = parseInt("key-rotation-days", pick(null, env.get("GATEHOUSE_KEY_ROTATION_DAYS"),
                text(file, "key-rotation-days"), Long.toString(KeyPolicy.DEFAULT_ROTATION.toDays())));
        var keys = new KeyConfig(java.time.Duration.ofSeconds(maxAge), java.time.Duration.ofDays(rotationDays),
                kekSource(flags, env, file));
        var resourceApiAccess = ResourceApiConfig.parse(
                pick(null, env.get("GATEHOUSE_RESOURCE_API_AUDIENCE"), text(file, "resource-api-audience"), null),
                pick(null, env.get("GATEHOUSE_RESOURCE_API_SCOPE"), text(file, "resource-api-scope"), null));
        return new ServerConfig(host, port, database, issuer, mounts, resourceApi, demo, maxBody,
                java.time.Duration.ofSeconds(purge), metrics, keys, resourceApiAccess, AbuseConfig.load(env, file),
                http(env, file), new Acr(pick(null, env.get("GATEHOUSE_ACR_PASSWORD"), text(file, "acr-password"),
                Acr.DEFAULT_PASSWORD)));
    }

    /**
     * Where the key-encryption key comes from: the flag {@code --kek-file}, then {@code GATEHOUSE_KEK} or
     * {@code GATEHOUSE_KEK_FILE} (not both), then config key {@code kek-file}; else the default (see {@link KekSource}).
     * The value of {@code GATEHOUSE_KEK} is checked here (base64 of 32 bytes); files are read when the KEK is used.
     */
    private static KekSource kekSource(Flags flags, Map<String, String> env, JsonNode file) {
        if (flags.kekFile() != null) return new KekSource.File(flags.kekFile(), "--kek-file");
        String value = env.get("GATEHOUSE_KEK");
        String envFile = env.get("GATEHOUSE_KEK_FILE");
        if (value != null && envFile != null) {
            throw new IllegalArgumentException("GATEHOUSE_KEK and GATEHOUSE_KEK_FILE are both set: set one of them");
        }
        if (value != null) {
            try {
                java.util.Arrays.fill(KeyEncryption.decode(value, "GATEHOUSE_KEK"), (byte) 0);
            } catch (KeyEncryption.Refused e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            return new KekSource.Value(value);
        }
        if (envFile != null) {
            if (envFile.isBlank()) throw new IllegalArgumentException("GATEHOUSE_KEK_FILE is set but empty");
            return new KekSource.File(Path.of(envFile), "GATEHOUSE_KEK_FILE");
        }
        String configured = text(file, "kek-file");
        if (configured != null) {
            if (configured.isBlank()) throw new IllegalArgumentException("config key kek-file is empty");
            return new KekSource.File(Path.of(configured), "config kek-file");
        }
        return KekSource.none();
    }

    /** {@link HttpConfig}: each key from GATEHOUSE_UPPER_SNAKE, then the file, then the default. */
    private static HttpConfig http(Map<String, String> env, JsonNode file) {
        java.util.function.BiFunction<String, Object, String> v = (key, dflt) -> pick(null,
                env.get("GATEHOUSE_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_')), text(file, key), String.valueOf(dflt));
        java.util.function.BiFunction<String, java.time.Duration, java.time.Duration> seconds = (key, dflt) ->
                java.time.Duration.ofSeconds(parseInt(key, v.apply(key, dflt.toSeconds())));
        return new HttpConfig(
                seconds.apply("header-timeout-seconds", HttpConfig.DEFAULT_HEADER_TIMEOUT),
                seconds.apply("body-timeout-seconds", HttpConfig.DEFAULT_BODY_TIMEOUT),
                seconds.apply("idle-timeout-seconds", HttpConfig.DEFAULT_IDLE_TIMEOUT),
                parseInt("max-connections", v.apply("max-connections", HttpConfig.DEFAULT_MAX_CONNECTIONS)),
                parseInt("max-concurrent-requests", v.apply("max-concurrent-requests", HttpConfig.DEFAULT_MAX_CONCURRENT_REQUESTS)),
                parseInt("max-buffered-request-bytes", v.apply("max-buffered-request-bytes", HttpConfig.DEFAULT_MAX_BUFFERED_REQUEST_BYTES)),
                parseBoolean("management-enabled", v.apply("management-enabled", true)),
                v.apply("management-host", HttpConfig.DEFAULT_MANAGEMENT_HOST),
                parseInt("management-port", v.apply("management-port", HttpConfig.DEFAULT_MANAGEMENT_PORT)),
                TlsFiles.of(pick(null, env.get("GATEHOUSE_TLS_CERT"), text(file, "tls-cert"), null),
                        pick(null, env.get("GATEHOUSE_TLS_KEY"), text(file, "tls-key"), null)));
    }

    private static JsonNode readFile(Path p) {
        JsonNode node;
        try {
            node = Json.parse(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + p + ": " + e.getMessage());
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("config file " + p + " is not valid JSON: " + e.getMessage());
        }
        if (!node.isObject()) throw new IllegalArgumentException("config file " + p + " must hold a JSON object");
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k) && !AbuseConfig.KEYS.contains(k) && !HTTP_KEYS.contains(k)) {
                throw new IllegalArgumentException("config file " + p + ": unknown key '" + k + "'");
            }
        }
        return node;
    }

    private static List<Mount> mounts(JsonNode arr) {
        if (!arr.isArray()) throw new IllegalArgumentException("config 'mounts' must be an array");
        List<Mount> out = new ArrayList<>();
        for (JsonNode m : arr) {
            if (!m.isObject() || !m.path("path").isTextual() || !m.path("dialect").isTextual()) {
                throw new IllegalArgumentException("each mount needs string 'path' and 'dialect'");
            }
            Map<String, String> options = new LinkedHashMap<>();
            JsonNode o = m.get("options");
            if (o != null) {
                if (!o.isObject()) throw new IllegalArgumentException("mount 'options' must be an object");
                o.properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
            }
            out.add(new Mount(m.get("path").asText(), m.get("dialect").asText(), options));
        }
        return out;
    }

    private static String text(JsonNode file, String key) {
        if (file == null || !file.has(key) || file.get(key).isNull()) return null;
        return file.get(key).asText();
    }

    @SafeVarargs
    private static <T> T pick(T... values) {
        for (T v : values) {
            if (v != null) return v;
        }
        return null;
    }

    private static boolean parseBoolean(String name, String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false");
        };
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }
}
