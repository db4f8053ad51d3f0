package io.gatehouse.core.model;

import java.util.Optional;

/** A successful token response in core terms; each dialect renders it in its own shape. */
public record TokenResult(ClientId clientId, String accessToken, String tokenType, long expiresIn, Scope scope,
                          Optional<String> refreshToken, Optional<String> idToken) {
    public TokenResult {
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        idToken = idToken == null ? Optional.empty() : idToken;
    }

    @Override
    public String toString() {
        return "TokenResult[clientId=" + clientId + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
