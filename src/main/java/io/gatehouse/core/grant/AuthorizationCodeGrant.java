package io.gatehouse.core.grant;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;

import java.time.Clock;
import java.util.Optional;

import static io.gatehouse.core.grant.UserTokens.invalidGrant;

/**
 * RFC 6749 §4.1.3 with RFC 7636: redeem a code once. The code is consumed atomically in the database;
 * a second redemption gets invalid_grant and revokes every token issued from the code.
 */
public final class AuthorizationCodeGrant {
    static final String INVALID_CODE = "Invalid authorization code";

    private final CodeStore codes;
    private final GrantStore grants;
    private final UserStore users;
    private final UserTokens userTokens;
    private final Clock clock;

    public AuthorizationCodeGrant(CodeStore codes, GrantStore grants, UserStore users, UserTokens userTokens, Clock clock) {
        this.codes = codes;
        this.grants = grants;
        this.users = users;
        this.userTokens = userTokens;
        this.clock = clock;
    }

    public TokenResult grant(Client client, TokenRequest.AuthorizationCode request) {
        if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
            throw new OAuthException(new OAuthError.UnauthorizedClient(
                    "The client is not allowed to use the authorization_code grant"));
        }
        if (request.code().length() > 512) throw invalidGrant(INVALID_CODE);
        String hash = Tokens.hash(request.code());
        Optional<AuthorizationCode> found = codes.findByHash(hash);
        // A code issued to another client is refused without consuming it (that client cannot burn it).
        if (found.isEmpty() || !found.get().clientId().equals(client.id())) throw invalidGrant(INVALID_CODE);
        AuthorizationCode code = found.get();
        if (!codes.consume(hash, clock.instant())) {
            if (clock.instant().isBefore(code.expiresAt())) {
                grants.revokeGrant(code.grantId());  // reuse: revoke everything issued from this code
            }
            throw invalidGrant(INVALID_CODE);
        }
        // From here on the code is used up, whatever the outcome.
        checkRedirectUri(code, request.redirectUri());
        checkPkce(code, request.codeVerifier());
        User user = users.find(code.userId()).orElseThrow(() -> invalidGrant(INVALID_CODE));
        return userTokens.issue(client, user, code.grantId(), code.scope(), code.scope(), code.claims(), code.authTime(),
                code.nonce());
    }

    static void checkRedirectUri(AuthorizationCode code, Optional<String> sent) {
        boolean ok = sent.isPresent() ? sent.get().equals(code.redirectUri()) : !code.redirectUriSent();
        if (!ok) {
            throw invalidGrant("Invalid redirect: the redirect_uri does not match the one of the authorization request");
        }
    }

    static void checkPkce(AuthorizationCode code, Optional<String> verifier) {
        if (code.codeChallenge().isEmpty()) {
            if (verifier.isPresent()) {
                throw invalidGrant("code_verifier sent, but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier.isEmpty()) throw invalidGrant("code_verifier is required");
        if (!Pkce.matches(verifier.get(), code.codeChallenge().get())) {
            throw invalidGrant("code_verifier does not match the code_challenge");
        }
    }
}
