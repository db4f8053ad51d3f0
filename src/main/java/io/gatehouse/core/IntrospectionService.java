package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.Tokens;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662 introspection for authenticated confidential clients (resource servers are registered as clients).
 * An active access token is described only to a caller that
 * <ul>
 *   <li>is registered as a resource server ({@code client add --introspection}): any audience;</li>
 *   <li>is the token's audience: its client id is one of the token's {@code aud} values (an opaque token's audience
 *       is its client's {@code --audience}, else the issuer, as for a JWT of that client); or</li>
 *   <li>is the client the token was issued to: it holds the token already and, for a JWT, can read every claim.</li>
 * </ul>
 * A refresh token is described only to the client it was issued to. Every other caller, and every inactive,
 * unknown or malformed token, gets exactly {"active":false}: a caller cannot tell a token it may not see from one
 * that does not exist (RFC 7662 §2.2).
 */
public final class IntrospectionService {
    public static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthenticator authenticator;
    private final AccessTokenValidator validator;
    private final TokenStore tokens;
    private final UserStore users;
    private final String issuer;
    private final Clock clock;

    public IntrospectionService(ClientAuthenticator authenticator, AccessTokenValidator validator, TokenStore tokens,
                                UserStore users, String issuer, Clock clock) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.tokens = tokens;
        this.users = users;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Map<String, Object> introspect(ClientAuth auth, String token) {
        if (auth.method() == ClientAuth.Method.NONE) {
            throw new OAuthException(new OAuthError.InvalidClient("Client authentication is required",
                    OAuthError.ClientAuthMethodHint.NONE));
        }
        Client caller = authenticator.authenticate(auth);
        if (token.length() > AccessTokenValidator.MAX_TOKEN_LENGTH) return INACTIVE;
        // Any audience here; who may see the token is decided below, by the caller.
        Optional<AccessTokenValidator.ValidatedToken> at = validator.validate(token, AccessTokenValidator.Audience.any());
        if (at.isPresent()) {
            var i = at.get();
            if (!mayIntrospect(caller, i)) return INACTIVE;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("active", true);
            if (!i.scope().isEmpty()) m.put("scope", i.scope().asString());
            m.put("client_id", i.clientId());
            i.subject().flatMap(this::username).ifPresent(u -> m.put("username", u));
            m.put("token_type", "Bearer");
            m.put("exp", i.expiresAt().getEpochSecond());
            m.put("iat", i.issuedAt().getEpochSecond());
            i.subject().ifPresent(sub -> m.put("sub", sub));
            if (!i.audience().isEmpty()) m.put("aud", i.audience().size() == 1 ? i.audience().getFirst() : i.audience());
            m.put("iss", issuer);
            i.jti().ifPresent(j -> m.put("jti", j));
            return m;
        }
        if (token.indexOf('.') >= 0) return INACTIVE;
        Optional<TokenRecord> rt = tokens.findByHash(Tokens.hash(token))
                .filter(t -> t.kind() == TokenRecord.Kind.REFRESH && t.activeAt(clock.instant())
                        && t.clientId().equals(caller.id()));
        if (rt.isEmpty()) return INACTIVE;
        TokenRecord t = rt.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        if (!t.scope().isEmpty()) m.put("scope", t.scope().asString());
        m.put("client_id", t.clientId().value());
        username(t.subject()).ifPresent(u -> m.put("username", u));
        m.put("token_type", "refresh_token");
        m.put("exp", t.expiresAt().getEpochSecond());
        m.put("iat", t.issuedAt().getEpochSecond());
        m.put("sub", t.subject());
        m.put("iss", issuer);
        return m;
    }

    /** See the class comment. A client whose id happens to equal the issuer is not the issuer's audience. */
    boolean mayIntrospect(Client caller, AccessTokenValidator.ValidatedToken token) {
        if (caller.resourceServer()) return true;
        String id = caller.id().value();
        if (id.equals(token.clientId())) return true;
        return !id.equals(issuer) && token.audience().contains(id);
    }

    private Optional<String> username(String subject) {
        return users.find(subject).map(User::username);
    }
}
