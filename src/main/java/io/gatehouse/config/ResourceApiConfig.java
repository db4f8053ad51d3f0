package io.gatehouse.config;

import io.gatehouse.core.model.Scope;

import java.util.Optional;

/**
 * Which access tokens the demo resource API ({@code GET /product/get}) accepts, beyond being valid.
 *
 * @param audience      the value the token's {@code aud} must contain (config {@code resource-api-audience}); empty
 *                      means the issuer, the {@code aud} of every access token of a client without {@code --audience}
 * @param requiredScope scope values the token must all carry (config {@code resource-api-scope}), else 403
 *                      insufficient_scope; empty means any scope
 */
public record ResourceApiConfig(Optional<String> audience, Scope requiredScope) {
    public static final int MAX_AUDIENCE_LENGTH = 2000;

    public ResourceApiConfig {
        audience = audience == null ? Optional.empty() : audience;
        requiredScope = requiredScope == null ? Scope.EMPTY : requiredScope;
        audience.ifPresent(a -> {
            if (a.isEmpty() || a.length() > MAX_AUDIENCE_LENGTH || a.chars().anyMatch(c -> c <= 0x20 || c == 0x7F)) {
                throw new IllegalArgumentException("resource-api-audience must be 1 to " + MAX_AUDIENCE_LENGTH
                        + " characters without spaces or control characters");
            }
        });
    }

    /** The issuer as audience, any scope: what the resource API accepted before it was configurable. */
    public static ResourceApiConfig defaults() {
        return new ResourceApiConfig(Optional.empty(), Scope.EMPTY);
    }

    /** From the config's text values (null: not given); throws IllegalArgumentException naming the key. */
    public static ResourceApiConfig parse(String audience, String scope) {
        Scope s;
        try {
            s = scope == null ? Scope.EMPTY : Scope.parse(scope.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resource-api-scope must be space-separated scope values: " + e.getMessage());
        }
        return new ResourceApiConfig(Optional.ofNullable(audience).map(String::strip), s);
    }

    public ResourceApiConfig withAudience(String a) {
        return new ResourceApiConfig(Optional.ofNullable(a), requiredScope);
    }

    public ResourceApiConfig withRequiredScope(Scope s) {
        return new ResourceApiConfig(audience, s);
    }
}
