package io.gatehouse.core.grant;

import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.token.IdTokens;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.core.token.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Issues the tokens of a user grant (authorization_code and refresh_token): an access token tied to the
 * grant, a rotated refresh token when the client is configured for them, and an ID token for openid.
 */
public final class UserTokens {
    private final TokenIssuer issuer;
    private final IdTokens idTokens;
    private final GrantStore grants;
    private final Clock clock;
    private final SecureRandom random;

    public UserTokens(TokenIssuer issuer, IdTokens idTokens, GrantStore grants, Clock clock, SecureRandom random) {
        this.issuer = issuer;
        this.idTokens = idTokens;
        this.grants = grants;
        this.clock = clock;
        this.random = random;
    }

    /** Whether this client gets refresh tokens: configured for them and allowed the refresh_token grant. */
    public static boolean issuesRefreshTokens(Client client) {
        return client.refreshTokens() && client.allows(GrantType.REFRESH_TOKEN);
    }

    /**
     * @param scope        the scope of the access token
     * @param grantedScope the scope of the whole grant, kept by the refresh token (RFC 6749 §6)
     * @param claims       the grant's claims request (OIDC Core §5.5), for the ID token's user claims
     */
    public TokenResult issue(Client client, User user, String grantId, Scope scope, Scope grantedScope,
                             ClaimsRequest claims, Instant authTime, Optional<String> nonce) {
        return issue(client, user, grantId, scope, grantedScope, claims, authTime, nonce, Optional.empty()).orElseThrow();
    }

    /**
     * Issues the tokens, and, when {@code rotates} names a refresh token, uses that token up in the same transaction
     * as the new refresh token and the new JWT id are stored (one durable write).
     *
     * @return empty when the refresh token to rotate was already used or revoked: then nothing was stored
     */
    Optional<TokenResult> issue(Client client, User user, String grantId, Scope scope, Scope grantedScope,
                                ClaimsRequest claims, Instant authTime, Optional<String> nonce, Optional<String> rotates) {
        // A user who lost the role admin since the grant keeps it, without the admin scopes.
        scope = AdminAccess.forUser(user, scope);
        grantedScope = AdminAccess.forUser(user, grantedScope);
        TokenIssuer.IssuedToken access = issuer.accessToken(client, user.id(), scope, Optional.of(grantId),
                Map.of("auth_time", authTime.getEpochSecond()));
        Optional<String> refresh = Optional.empty();
        Optional<TokenRecord> refreshRecord = Optional.empty();
        if (issuesRefreshTokens(client)) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String value = Tokens.random(random, 32);
            refreshRecord = Optional.of(new TokenRecord(Tokens.hash(value), TokenRecord.Kind.REFRESH, client.id(), user.id(),
                    grantedScope, now, now.plus(client.refreshTokenTtl()), Optional.of(grantId), false));
            refresh = Optional.of(value);
        }
        // If the grant was revoked meanwhile (code or refresh token reused), the store revokes these at once.
        GrantStore.Outcome outcome = grants.issue(new GrantStore.Issue(grantId, rotates, refreshRecord,
                access.jti().map(jti -> new GrantStore.JwtId(jti, access.expiresAt()))));
        if (outcome == GrantStore.Outcome.ALREADY_USED) return Optional.empty();
        Optional<String> idToken = scope.contains("openid")
                ? Optional.of(idTokens.issue(client, user, claims, authTime, nonce, access.value()))
                : Optional.empty();
        return Optional.of(new TokenResult(client.id(), access.value(), "Bearer", client.accessTokenTtl().toSeconds(), scope,
                refresh, idToken));
    }

    static OAuthException invalidGrant(String description) {
        return new OAuthException(new OAuthError.InvalidGrant(description));
    }
}
