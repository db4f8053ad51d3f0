package io.gatehouse.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * An issued authorization code and the grant it starts. Stored by the hash of the code only. The
 * {@code grantId} is shared with every token issued from the code (and its refresh family), so reuse of
 * the code revokes them all.
 *
 * @param redirectUriSent whether the authorization request carried redirect_uri (then the token request must too)
 * @param codeChallenge   the S256 PKCE challenge, if any
 * @param claims          the claims parameter (OIDC Core §5.5), kept for every ID token and userinfo call of the grant
 */
public record AuthorizationCode(String codeHash, String grantId, ClientId clientId, String userId, String redirectUri,
                                boolean redirectUriSent, Scope scope, Optional<String> nonce,
                                Optional<String> codeChallenge, ClaimsRequest claims, Instant authTime,
                                Instant issuedAt, Instant expiresAt) {
    public AuthorizationCode {
        nonce = nonce == null ? Optional.empty() : nonce;
        codeChallenge = codeChallenge == null ? Optional.empty() : codeChallenge;
        claims = claims == null ? ClaimsRequest.NONE : claims;
    }

    @Override
    public String toString() {
        return "AuthorizationCode[grant=" + grantId + ", client=" + clientId + "]";
    }
}
