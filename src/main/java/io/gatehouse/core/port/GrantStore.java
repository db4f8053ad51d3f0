package io.gatehouse.core.port;

import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.TokenRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is issued from a grant (the authorization a user gave a client), written in one transaction: rotating a refresh
 * token (consume the old one, store the new one, record the new access token's JWT id) is one commit, so it costs one
 * durable write and a crash leaves either all of it or none. A grant is stored with the code that started it (its row
 * is an {@link AuthorizationCode}), whose grant id is also the refresh-token family id.
 */
public interface GrantStore {
    /** A refresh token with what its grant says about the sign-in, read in one query. */
    record RefreshGrant(TokenRecord token, Instant authTime, ClaimsRequest claims) {}

    /** The id of a JWT access token issued from a grant, remembered so that revoking the grant revokes it too. */
    record JwtId(String jti, Instant expiresAt) {}

    /**
     * What to write for one token response of a grant.
     *
     * @param consumes     the hash of the refresh token this response rotates (used up in the same transaction)
     * @param refreshToken the new refresh token, if the client gets one
     * @param jwt          the id of the new JWT access token, if it is a JWT
     */
    record Issue(String grantId, Optional<String> consumes, Optional<TokenRecord> refreshToken, Optional<JwtId> jwt) {}

    enum Outcome {
        /** Written. */
        ISSUED,
        /** Written, but the grant was revoked meanwhile: what was written is revoked in the same transaction. */
        GRANT_REVOKED,
        /** The refresh token to consume was already used or revoked: nothing written. */
        ALREADY_USED
    }

    /** The grant started by a code, whether or not the code was used. */
    Optional<AuthorizationCode> findByGrantId(String grantId);

    /** The grant a JWT access token was issued from (by its {@code jti}, as {@link #issue} recorded it). */
    Optional<AuthorizationCode> findByJwt(String jti);

    /**
     * Revokes a grant, in one transaction: flags it revoked, revokes its stored tokens and puts the ids of the JWT
     * access tokens issued from it on the deny-list.
     */
    void revokeGrant(String grantId);

    boolean isGrantRevoked(String grantId);

    /** The user's grants that are not revoked (until purged), newest first. */
    List<AuthorizationCode> activeGrants(String userId);

    /** A stored refresh token (of any state) and its grant; empty when unknown or not a refresh token of a grant. */
    Optional<RefreshGrant> findRefreshToken(String tokenHash);

    /** Writes {@code issue} in one transaction; exactly one of many concurrent consumers of one token gets ISSUED. */
    Outcome issue(Issue issue);
}
