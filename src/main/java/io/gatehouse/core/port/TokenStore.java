package io.gatehouse.core.port;

import io.gatehouse.core.model.TokenRecord;

import java.time.Instant;
import java.util.Optional;

/** Stored tokens (by hash) and the deny-list of revoked JWT ids. Writes are durable when they return. */
public interface TokenStore {
    void save(TokenRecord token);

    Optional<TokenRecord> findByHash(String tokenHash);

    /** Marks one token revoked. @return false when no such token */
    boolean revoke(String tokenHash);

    /** Revokes every token issued from one grant (code or refresh family). @return how many */
    int revokeGrant(String grantId);

    /** Remembers a revoked JWT access token until it would have expired anyway. */
    void revokeJwt(String jti, Instant expiresAt);

    boolean isJwtRevoked(String jti);

    /** Deletes rows that expired before {@code cutoff}. @return how many */
    int purgeExpired(Instant cutoff);
}
