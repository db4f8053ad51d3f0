package io.gatehouse.core.model;

import java.util.Optional;

/** A token request after wire parsing, one variant per grant. */
public sealed interface TokenRequest {
    /** RFC 6749 §4.4. An absent scope means the client's default (all of its scopes). */
    record ClientCredentials(Optional<Scope> scope) implements TokenRequest {
    }

    /** RFC 6749 §4.1.3 with RFC 7636 §4.5: redeem an authorization code. */
    record AuthorizationCode(String code, Optional<String> redirectUri, Optional<String> codeVerifier) implements TokenRequest {
        public AuthorizationCode {
            if (code == null || code.isEmpty()) throw new IllegalArgumentException("code is required");
            redirectUri = redirectUri == null ? Optional.empty() : redirectUri;
            codeVerifier = codeVerifier == null ? Optional.empty() : codeVerifier;
        }

        @Override
        public String toString() {
            return "AuthorizationCode[redirectUri=" + redirectUri.orElse("-") + "]";
        }
    }

    /** RFC 6749 §6: rotate a refresh token; an absent scope means the scope originally granted. */
    record RefreshToken(String refreshToken, Optional<Scope> scope) implements TokenRequest {
        public RefreshToken {
            if (refreshToken == null || refreshToken.isEmpty()) throw new IllegalArgumentException("refresh_token is required");
            scope = scope == null ? Optional.empty() : scope;
        }

        @Override
        public String toString() {
            return "RefreshToken[scope=" + scope.map(Scope::asString).orElse("-") + "]";
        }
    }
}
