package io.gatehouse.core.model;

import java.util.Optional;

/** JWS algorithms Gatehouse signs with. */
public enum SigningAlg {
    RS256, ES256, PS256, EdDSA;

    public static Optional<SigningAlg> fromName(String name) {
        for (SigningAlg a : values()) {
            if (a.name().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
