package io.gatehouse.core.model;

/** How access tokens are issued for a client: self-contained RFC 9068 JWT, or opaque handle stored hashed. */
public enum TokenFormat {
    JWT, OPAQUE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
