package io.gatehouse.core.model;

import java.util.Optional;

/**
 * The algorithms a client may sign its request objects with (OIDC Dynamic Client Registration
 * {@code request_object_signing_alg}, RFC 9101): the asymmetric ones Gatehouse verifies against the client's registered
 * public keys, and {@code none} (an unsigned request object), accepted only from a client registered for it. HS256 and
 * friends are not offered: a client's secret is stored only as an Argon2id hash, so there is no key to verify an HMAC with.
 */
public enum RequestObjectSigningAlg {
    RS256("RS256"), PS256("PS256"), ES256("ES256"), EdDSA("EdDSA"), NONE("none");

    private final String wireName;

    RequestObjectSigningAlg(String wireName) {
        this.wireName = wireName;
    }

    /** The JOSE {@code alg} value. */
    public String wireName() {
        return wireName;
    }

    public boolean signed() {
        return this != NONE;
    }

    /** Exact, case-sensitive JOSE name. */
    public static Optional<RequestObjectSigningAlg> fromWire(String name) {
        for (RequestObjectSigningAlg a : values()) {
            if (a.wireName.equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
