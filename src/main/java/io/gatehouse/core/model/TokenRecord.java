package io.gatehouse.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored token: opaque access tokens and refresh tokens, kept by the SHA-256 of their value only.
 * {@code grantId} ties together every token issued from one grant (an authorization code or a refresh
 * family) so they can be revoked together.
 */
public record TokenRecord(String tokenHash, Kind kind, ClientId clientId, String subject, Scope scope,
                          Instant issuedAt, Instant expiresAt, Optional<String> grantId, boolean revoked) {
    public enum Kind { ACCESS, REFRESH }

    public TokenRecord {
        grantId = grantId == null ? Optional.empty() : grantId;
    }

    public boolean activeAt(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }
}
