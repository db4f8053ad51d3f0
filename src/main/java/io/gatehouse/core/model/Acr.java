package io.gatehouse.core.model;

import java.util.List;

/**
 * The Authentication Context Class Reference values (OIDC Core §2 {@code acr}) this server asserts: one per way of
 * signing in. Today every session starts with a password sign-in, so the ID token's {@code acr} is {@link #password}.
 * A value only ever states what happened; one that a client merely asked for (acr_values, claims) is never echoed.
 *
 * @param password the value for a sign-in with username and password (config key {@code acr-password})
 */
public record Acr(String password) {
    public static final String DEFAULT_PASSWORD = "urn:gatehouse:acr:password";
    public static final Acr DEFAULT = new Acr(DEFAULT_PASSWORD);

    public Acr {
        if (password == null || password.isEmpty() || password.length() > 255
                || !password.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new IllegalArgumentException("acr-password must be 1 to 255 printable ASCII characters without spaces "
                    + "(a URI such as " + DEFAULT_PASSWORD + ")");
        }
    }

    /** For discovery's {@code acr_values_supported}. */
    public List<String> supported() {
        return List.of(password);
    }
}
