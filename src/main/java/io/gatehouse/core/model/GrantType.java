package io.gatehouse.core.model;

import java.util.Optional;

/** The grants Gatehouse implements, with their RFC 6749 wire names (declared in the order of those names). */
public enum GrantType {
    AUTHORIZATION_CODE("authorization_code"),
    CLIENT_CREDENTIALS("client_credentials"),
    REFRESH_TOKEN("refresh_token");

    private final String wireName;

    GrantType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<GrantType> fromWire(String name) {
        for (GrantType g : values()) {
            if (g.wireName.equals(name)) return Optional.of(g);
        }
        return Optional.empty();
    }
}
