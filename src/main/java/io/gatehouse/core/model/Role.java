package io.gatehouse.core.model;

import java.util.Locale;
import java.util.Optional;

/** What a user may do beyond signing in. {@code admin}: may be granted the {@code gatehouse:admin*} scopes. */
public enum Role {
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
