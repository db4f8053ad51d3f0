package io.gatehouse.core;

import io.gatehouse.core.grant.AuthorizationCodeGrant;
import io.gatehouse.core.grant.ClientCredentialsGrant;
import io.gatehouse.core.grant.RefreshTokenGrant;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;

/** The token endpoint's use case, shared by every dialect: authenticate the client, run its grant. */
public final class TokenService {
    private final ClientAuthenticator authenticator;
    private final ClientCredentialsGrant clientCredentials;
    private final AuthorizationCodeGrant authorizationCode;
    private final RefreshTokenGrant refreshToken;

    public TokenService(ClientAuthenticator authenticator, ClientCredentialsGrant clientCredentials,
                        AuthorizationCodeGrant authorizationCode, RefreshTokenGrant refreshToken) {
        this.authenticator = authenticator;
        this.clientCredentials = clientCredentials;
        this.authorizationCode = authorizationCode;
        this.refreshToken = refreshToken;
    }

    public TokenResult token(TokenCall call) {
        Client client = authenticator.authenticate(call.client());
        return switch (call.request()) {
            case TokenRequest.ClientCredentials cc -> clientCredentials.grant(client, cc);
            case TokenRequest.AuthorizationCode ac -> authorizationCode.grant(client, ac);
            case TokenRequest.RefreshToken rt -> refreshToken.grant(client, rt);
        };
    }
}
