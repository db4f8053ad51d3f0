package io.gatehouse.core.grant;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;

import java.time.Clock;
import java.util.Optional;

import static io.gatehouse.core.grant.UserTokens.invalidGrant;

/**
 * RFC 6749 §6 with rotation (OAuth 2.0 Security BCP §4.14): each refresh token works once. Using it
 * consumes it atomically in the database and issues a new one in the same family; presenting a used one
 * again revokes the whole family. A narrower scope may be asked, never a wider one.
 */
public final class RefreshTokenGrant {
    static final String INVALID = "Invalid refresh token";

    private final GrantStore grants;
    private final UserStore users;
    private final UserTokens userTokens;
    private final Clock clock;

    public RefreshTokenGrant(GrantStore grants, UserStore users,
                             UserTokens userTokens, Clock clock) {
        this.grants = grants;
        this.users = users;
        this.userTokens = userTokens;
        this.clock = clock;
    }

    public TokenResult grant(Client client, TokenRequest.RefreshToken request) {
        if (!UserTokens.issuesRefreshTokens(client)) {
            throw new OAuthException(new OAuthError.UnauthorizedClient(
                    "The client is not allowed to use the refresh_token grant"));
        }
        if (request.refreshToken().length() > 512) throw invalidGrant(INVALID);
        String hash = Tokens.hash(request.refreshToken());
        // The token and what its grant says (auth_time, claims request) in one query.
        Optional<GrantStore.RefreshGrant> found = grants.findRefreshToken(hash);
        if (found.isEmpty() || found.get().token().grantId().isEmpty() || !found.get().token().clientId().equals(client.id())) {
            throw invalidGrant(INVALID);
        }
        TokenRecord old = found.get().token();
        String family = old.grantId().get();
        if (!clock.instant().isBefore(old.expiresAt())) throw invalidGrant(INVALID);
        Scope scope = request.scope().filter(s -> !s.isEmpty()).orElse(old.scope());
        if (!old.scope().containsAll(scope)) {
            throw new OAuthException(new OAuthError.InvalidScope("The requested scope exceeds the scope originally granted"));
        }
        if (old.revoked()) throw reused(family);
        User user = users.find(old.subject()).orElseThrow(() -> invalidGrant(INVALID));
        // Consuming the old token, storing the new one and recording the new JWT id are one transaction.
        return userTokens.issue(client, user, family, scope, old.scope(), found.get().claims(), found.get().authTime(),
                Optional.empty(), Optional.of(hash)).orElseThrow(() -> reused(family));
    }

    /** Reuse of a rotated (or revoked) token: the family is compromised. */
    private OAuthException reused(String family) {
        grants.revokeGrant(family);
        return invalidGrant(INVALID);
    }
}
