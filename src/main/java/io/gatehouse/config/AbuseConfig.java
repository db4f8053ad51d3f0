package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.http.ClientAddresses;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings against abuse: failed-attempt limits, the password-hashing queue, and which proxies may name the client's
 * address (docs/configuration.md, "Abuse limits").
 *
 * @param attempts        the attempt limiter's window and limits (config {@code attempt-window-seconds},
 *                        {@code attempt-limit-per-account-source}, {@code attempt-limit-per-source},
 *                        {@code attempt-limit-per-account})
 * @param hashQueueSize   how many password/secret checks may wait for a hashing slot before 503
 *                        (config {@code hash-queue-size})
 * @param trustedProxies  CIDRs whose {@code X-Forwarded-For} / {@code Forwarded} name the client (config
 *                        {@code trusted-proxies}); empty: the headers are ignored
 * @param forwardedHeader which of the two headers (config {@code forwarded-header})
 */
public record AbuseConfig(AttemptLimiter.Limits attempts, int hashQueueSize, List<String> trustedProxies,
                          ClientAddresses.Header forwardedHeader) {
    /** The config-file keys read here. */
    static final Set<String> KEYS = Set.of("attempt-window-seconds", "attempt-limit-per-account-source",
            "attempt-limit-per-source", "attempt-limit-per-account", "hash-queue-size", "trusted-proxies",
            "forwarded-header");

    public AbuseConfig {
        if (hashQueueSize < 0) throw new IllegalArgumentException("hash-queue-size must be 0 or more");
        trustedProxies = List.copyOf(trustedProxies);
        clientAddresses(trustedProxies, forwardedHeader);  // validates every CIDR
    }

    public static AbuseConfig defaults() {
        return new AbuseConfig(AttemptLimiter.Limits.defaults(), SecretHasher.DEFAULT_QUEUE, List.of(),
                ClientAddresses.Header.X_FORWARDED_FOR);
    }

    public AbuseConfig withAttempts(AttemptLimiter.Limits l) {
        return new AbuseConfig(l, hashQueueSize, trustedProxies, forwardedHeader);
    }

    public AbuseConfig withTrustedProxies(List<String> cidrs) {
        return new AbuseConfig(attempts, hashQueueSize, cidrs, forwardedHeader);
    }

    public AbuseConfig withHashQueueSize(int size) {
        return new AbuseConfig(attempts, size, trustedProxies, forwardedHeader);
    }

    public ClientAddresses clientAddresses() {
        return clientAddresses(trustedProxies, forwardedHeader);
    }

    private static ClientAddresses clientAddresses(List<String> cidrs, ClientAddresses.Header header) {
        return ClientAddresses.of(cidrs, header);
    }

    /** Reads the keys from the environment (GATEHOUSE_*) over the config file over the defaults. */
    static AbuseConfig load(Map<String, String> env, JsonNode file) {
        var d = AttemptLimiter.Limits.defaults();
        long window = number(env, file, "attempt-window-seconds", d.window().toSeconds());
        var limits = new AttemptLimiter.Limits(Duration.ofSeconds(window),
                (int) number(env, file, "attempt-limit-per-account-source", d.perAccountSource()),
                (int) number(env, file, "attempt-limit-per-source", d.perSource()),
                (int) number(env, file, "attempt-limit-per-account", d.perAccount()));
        int queue = (int) number(env, file, "hash-queue-size", SecretHasher.DEFAULT_QUEUE);
        List<String> proxies = new ArrayList<>();
        String fromEnv = env.get("GATEHOUSE_TRUSTED_PROXIES");
        JsonNode fromFile = file == null ? null : file.get("trusted-proxies");
        if (fromEnv != null) {
            split(fromEnv, proxies);
        } else if (fromFile != null && fromFile.isArray()) {
            for (JsonNode n : fromFile) {
                if (!n.isTextual()) throw new IllegalArgumentException("trusted-proxies must be a list of CIDR strings");
                proxies.add(n.asText());
            }
        } else if (fromFile != null && fromFile.isTextual()) {
            split(fromFile.asText(), proxies);
        } else if (fromFile != null && !fromFile.isNull()) {
            throw new IllegalArgumentException("trusted-proxies must be a list of CIDR strings");
        }
        String header = env.getOrDefault("GATEHOUSE_FORWARDED_HEADER",
                file != null && file.hasNonNull("forwarded-header") ? file.get("forwarded-header").asText() : "x-forwarded-for");
        return new AbuseConfig(limits, queue, proxies, ClientAddresses.Header.parse(header));
    }

    private static void split(String s, List<String> out) {
        for (String p : s.split(",")) {
            if (!p.isBlank()) out.add(p.trim());
        }
    }

    private static long number(Map<String, String> env, JsonNode file, String key, long dflt) {
        String envName = "GATEHOUSE_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        String v = env.get(envName);
        if (v == null && file != null && file.hasNonNull(key)) v = file.get(key).asText();
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number");
        }
    }

    @Override
    public String toString() {
        return "AbuseConfig[" + attempts + ", hash-queue-size=" + hashQueueSize + ", trusted-proxies=" + trustedProxies
                + ", forwarded-header=" + forwardedHeader.wireName() + "]";
    }
}
