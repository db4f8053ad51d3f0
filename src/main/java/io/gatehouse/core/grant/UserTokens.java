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
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.TokenStore;
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
    private final TokenStore tokens;
    private final CodeStore grants;
    private final Clock clock;
    private final SecureRandom random;

    public UserTokens(TokenIssuer issuer, IdTokens idTokens, TokenStore tokens, CodeStore grants, Clock clock, SecureRandom random) {
        this.issuer = issuer;
        this.idTokens = idTokens;
        this.tokens = tokens;
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
        // A user who lost the role admin since the grant keeps it, without the admin scopes.
        scope = AdminAccess.forUser(user, scope);
        grantedScope = AdminAccess.forUser(user, grantedScope);
        TokenIssuer.IssuedToken access = issuer.accessToken(client, user.id(), scope, Optional.of(grantId),
                Map.of("auth_time", authTime.getEpochSecond()));
        access.jti().ifPresent(jti -> grants.recordJwt(grantId, jti, access.expiresAt()));
        Optional<String> refresh = Optional.empty();
        if (issuesRefreshTokens(client)) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String value = Tokens.random(random, 32);
            tokens.save(new TokenRecord(Tokens.hash(value), TokenRecord.Kind.REFRESH, client.id(), user.id(), grantedScope,
                    now, now.plus(client.refreshTokenTtl()), Optional.of(grantId), false));
            refresh = Optional.of(value);
        }
        if (grants.isGrantRevoked(grantId)) {
            // The grant was revoked (code or refresh token reused) while these were issued: revoke them too.
            grants.revokeGrant(grantId);
        }
        Optional<String> idToken = scope.contains("openid")
                ? Optional.of(idTokens.issue(client, user, claims, authTime, nonce, access.value()))
                : Optional.empty();
        return new TokenResult(client.id(), access.value(), "Bearer", client.accessTokenTtl().toSeconds(), scope,
                refresh, idToken);
    }

    static OAuthException invalidGrant(String description) {
        return new OAuthException(new OAuthError.InvalidGrant(description));
    }
}
