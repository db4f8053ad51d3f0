package io.gatehouse.core.token.keys;

import java.time.Duration;

/**
 * The timing rules of the key lifecycle.
 *
 * @param jwksMaxAge      how long clients may cache the JWKS ({@code Cache-Control: max-age})
 * @param refreshInterval how often each node reloads the keys from the database (at most {@code jwksMaxAge})
 * @param rotationPeriod  an active key older than this gets a successor by itself; zero turns that off
 * @param clockSkew       the validators' tolerance, added before a retired key is removed
 */
public record KeyPolicy(Duration jwksMaxAge, Duration refreshInterval, Duration rotationPeriod, Duration clockSkew) {
    public static final Duration DEFAULT_JWKS_MAX_AGE = Duration.ofSeconds(300);
    public static final Duration DEFAULT_ROTATION = Duration.ofDays(90);

    public KeyPolicy {
        if (jwksMaxAge.isNegative()) throw new IllegalArgumentException("jwks max-age must not be negative");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("key refresh interval must be positive");
        }
        if (rotationPeriod.isNegative()) throw new IllegalArgumentException("key rotation period must not be negative");
    }

    /** Max-age and rotation as configured; nodes reload every max-age / 5, between 1 and 60 seconds. */
    public static KeyPolicy of(Duration jwksMaxAge, Duration rotationPeriod) {
        long refresh = Math.clamp(jwksMaxAge.toSeconds() / 5, 1, 60);
        return new KeyPolicy(jwksMaxAge, Duration.ofSeconds(refresh), rotationPeriod, Duration.ofSeconds(60));
    }

    /**
     * How long a new key is published before it may sign: every node has loaded it within one refresh interval,
     * and every client that fetched the JWKS before that dropped its copy within max-age.
     */
    public Duration publishDelay() {
        return jwksMaxAge.plus(refreshInterval);
    }

    /**
     * How long a key that stops signing now stays published: nodes may sign with it for one more refresh interval,
     * and what it signed lives up to {@code longestTokenLifetime}, plus the validators' clock skew.
     */
    public Duration retention(Duration longestTokenLifetime) {
        return refreshInterval.plus(longestTokenLifetime).plus(clockSkew);
    }
}
