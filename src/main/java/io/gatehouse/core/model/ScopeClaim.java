package io.gatehouse.core.model;

/** How the {@code scope} claim is written into a JWT access token: RFC 9068 string or a JSON array. */
public enum ScopeClaim {
    STRING, ARRAY
}
