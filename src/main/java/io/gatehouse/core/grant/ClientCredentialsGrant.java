package io.gatehouse.core.grant;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.token.TokenIssuer;

import java.util.Map;
import java.util.Optional;

/** RFC 6749 §4.4: the client acts on its own behalf; no refresh token is issued (§4.4.3). */
public final class ClientCredentialsGrant {
    private final TokenIssuer issuer;

    public ClientCredentialsGrant(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    public TokenResult grant(Client client, TokenRequest.ClientCredentials request) {
        if (!client.allows(GrantType.CLIENT_CREDENTIALS)) {
            throw new OAuthException(new OAuthError.UnauthorizedClient(
                    "The client is not allowed to use the client_credentials grant"));
        }
        Scope scope = Scopes.grantable(client, request.scope());
        TokenIssuer.IssuedToken token = issuer.accessToken(client, client.id().value(), scope, Optional.empty(), Map.of());
        return new TokenResult(client.id(), token.value(), "Bearer", client.accessTokenTtl().toSeconds(), scope,
                Optional.empty(), Optional.empty());
    }
}
