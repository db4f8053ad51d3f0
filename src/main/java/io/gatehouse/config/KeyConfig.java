package io.gatehouse.config;

import io.gatehouse.core.token.keys.KeyPolicy;

import java.time.Duration;

/**
 * Signing-key settings.
 *
 * @param jwksMaxAge     {@code Cache-Control: max-age} of {@code /jwks}, and how long a new key is published before
 *                       it signs (config {@code jwks-max-age-seconds}, default 300)
 * @param rotationPeriod an active key older than this gets a successor by itself (config {@code key-rotation-days},
 *                       default 90; zero turns scheduled rotation off)
 * @param kek            where the key-encryption key comes from ({@code GATEHOUSE_KEK}, {@code --kek-file},
 *                       {@code GATEHOUSE_KEK_FILE}, config {@code kek-file}; default: the data directory's generated file)
 */
public record KeyConfig(Duration jwksMaxAge, Duration rotationPeriod, KekSource kek) {
    public KeyConfig {
        if (jwksMaxAge.isNegative()) throw new IllegalArgumentException("jwks-max-age-seconds must not be negative");
        if (rotationPeriod.isNegative()) throw new IllegalArgumentException("key-rotation-days must not be negative");
        if (kek == null) kek = KekSource.none();
    }

    public KeyConfig(Duration jwksMaxAge, Duration rotationPeriod) {
        this(jwksMaxAge, rotationPeriod, KekSource.none());
    }

    public static KeyConfig defaults() {
        return new KeyConfig(KeyPolicy.DEFAULT_JWKS_MAX_AGE, KeyPolicy.DEFAULT_ROTATION);
    }

    public KeyConfig withKek(KekSource source) {
        return new KeyConfig(jwksMaxAge, rotationPeriod, source);
    }

    public KeyPolicy policy() {
        return KeyPolicy.of(jwksMaxAge, rotationPeriod);
    }
}
