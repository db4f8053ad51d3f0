package io.gatehouse.core;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.core.token.Tokens;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7009 revocation by the client the token was issued to (public clients identify with client_id).
 * A refresh token revokes its whole grant: the family and every access token issued from it, JWTs
 * included (deny-listed by jti). Unknown tokens and tokens of other clients are ignored: always 200. The token's
 * audience does not matter: a client with {@code --audience} revokes its own tokens like any other.
 */
public final class RevocationService {
    private final ClientAuthenticator authenticator;
    private final AccessTokenValidator validator;
    private final TokenStore tokens;
    private final GrantStore grants;

    public RevocationService(ClientAuthenticator authenticator, AccessTokenValidator validator, TokenStore tokens,
                             GrantStore grants) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.tokens = tokens;
        this.grants = grants;
    }

    public void revoke(ClientAuth auth, String token) {
        Client caller = authenticator.authenticate(auth);
        if (token.length() > AccessTokenValidator.MAX_TOKEN_LENGTH) return;
        if (token.indexOf('.') < 0) {
            Optional<TokenRecord> t = tokens.findByHash(Tokens.hash(token)).filter(r -> r.clientId().equals(caller.id()));
            if (t.isEmpty()) return;
            if (t.get().kind() == TokenRecord.Kind.REFRESH && t.get().grantId().isPresent()) {
                grants.revokeGrant(t.get().grantId().get());
            } else {
                tokens.revoke(t.get().tokenHash());
            }
            return;
        }
        Optional<Map<String, Object>> claims = validator.verifiedClaims(token, TokenIssuer.AT_JWT.getType());
        if (claims.isEmpty()) return;
        Map<String, Object> c = claims.get();
        if (caller.id().value().equals(c.get("client_id")) && c.get("jti") instanceof String jti
                && c.get("exp") instanceof Number exp && exp.longValue() > 0) {
            tokens.revokeJwt(jti, Instant.ofEpochSecond(exp.longValue()));
        }
    }
}
