package io.gatehouse.core.port;

import io.gatehouse.core.model.AuthorizationCode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Authorization codes and the grants they start (the code's grant id is also the refresh-token family id).
 * Consuming is atomic in the database, so exactly one of many concurrent redemptions wins on any node.
 */
public interface CodeStore {
    void save(AuthorizationCode code);

    Optional<AuthorizationCode> findByHash(String codeHash);

    /** The grant started by a code, whether or not the code was used. */
    Optional<AuthorizationCode> findByGrantId(String grantId);

    /** The grant a JWT access token was issued from (by its {@code jti}, as {@link #recordJwt} recorded it). */
    Optional<AuthorizationCode> findByJwt(String jti);

    /** Marks the code used if it is unused and unexpired at {@code now}. @return true for exactly one caller */
    boolean consume(String codeHash, Instant now);

    /**
     * Revokes a grant: flags it revoked, revokes its stored tokens and puts the ids of the JWT access tokens
     * issued from it on the deny-list.
     */
    void revokeGrant(String grantId);

    boolean isGrantRevoked(String grantId);

    /** The user's grants that are not revoked (until purged), newest first. */
    List<AuthorizationCode> activeGrants(String userId);

    /** Remembers a JWT access token issued from a grant, so revoking the grant revokes it too. */
    void recordJwt(String grantId, String jti, Instant expiresAt);

    /**
     * Deletes JWT ids per grant that expired before {@code cutoff}, then grants whose code expired before it and
     * that have nothing issued from them left (no stored token, no recorded JWT): purge tokens first.
     */
    int purgeExpired(Instant cutoff);
}
