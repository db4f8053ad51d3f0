package io.gatehouse.core;

import io.gatehouse.core.grant.ClientCredentialsGrant;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;

/** The token endpoint's use case, shared by every dialect: authenticate the client, run its grant. */
public final class TokenService {
    private final ClientAuthenticator authenticator;
    private final ClientCredentialsGrant clientCredentials;

    public TokenService(ClientAuthenticator authenticator, ClientCredentialsGrant clientCredentials) {
        this.authenticator = authenticator;
        this.clientCredentials = clientCredentials;
    }

    public TokenResult token(TokenCall call) {
        Client client = authenticator.authenticate(call.client());
        return switch (call.request()) {
            case TokenRequest.ClientCredentials cc -> clientCredentials.grant(client, cc);
        };
    }
}
