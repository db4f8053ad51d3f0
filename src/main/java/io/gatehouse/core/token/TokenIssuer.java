package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.TokenStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issues access tokens: RFC 9068 JWTs (header typ at+jwt, kid) or opaque 256-bit handles stored hashed,
 * per the client's {@link TokenFormat}.
 */
public final class TokenIssuer {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** An issued access token. {@code jti} is empty for opaque tokens. */
    public record IssuedToken(String value, Instant issuedAt, Instant expiresAt, Optional<String> jti) {
        @Override
        public String toString() {
            return "IssuedToken[expiresAt=" + expiresAt + "]";
        }
    }

    private final String issuer;
    private final SigningKeys keys;
    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random;

    public TokenIssuer(String issuer, SigningKeys keys, TokenStore store, Clock clock, SecureRandom random) {
        this.issuer = issuer;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    public String issuer() {
        return issuer;
    }

    /**
     * @param subject   the resource owner, or the client id for client_credentials
     * @param grantId   ties the token to its grant (code or refresh family) for revocation
     * @param extra     further claims (e.g. auth_time); never overrides the reserved ones
     */
    public IssuedToken accessToken(Client client, String subject, Scope scope, Optional<String> grantId,
                                   Map<String, Object> extra) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant exp = now.plus(client.accessTokenTtl());
        if (client.tokenFormat() == TokenFormat.OPAQUE) {
            String value = Tokens.random(random, 32);
            store.save(new TokenRecord(Tokens.hash(value), TokenRecord.Kind.ACCESS, client.id(), subject, scope,
                    now, exp, grantId, false));
            return new IssuedToken(value, now, exp, Optional.empty());
        }
        String jti = Tokens.random(random, 16);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        List<String> aud = AdminAccess.audiences(client.audience().orElse(issuer), scope, issuer);
        claims.put("aud", aud.size() == 1 ? aud.getFirst() : aud);
        claims.put("client_id", client.id().value());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        claims.put("jti", jti);
        if (!scope.isEmpty()) {
            claims.put("scope", client.scopeClaim() == ScopeClaim.ARRAY ? scope.asList() : scope.asString());
        }
        client.claims().forEach(claims::putIfAbsent);
        extra.forEach(claims::putIfAbsent);
        return new IssuedToken(sign(client, AT_JWT, claims), now, exp, Optional.of(jti));
    }

    /**
     * Signs a claims map with the client's algorithm and the server's current key for it. The header has alg, kid,
     * typ, and for a client with {@code jwtHeaderX5t} the key certificate's SHA-1 thumbprint as x5t.
     */
    @SuppressWarnings("deprecation")  // x5t is SHA-1: deprecated in Nimbus, expected by .NET-era resource servers
    public String sign(Client client, JOSEObjectType type, Map<String, Object> claims) {
        SigningKeys.Key key = keys.forAlg(client.signingAlg());
        JWSHeader.Builder header = new JWSHeader.Builder(key.jwsAlgorithm()).keyID(key.kid());
        if (type != null) header.type(type);
        if (client.jwtHeaderX5t()) key.x5t().ifPresent(header::x509CertThumbprint);
        JWSObject jws = new JWSObject(header.build(), new Payload(claims));
        return SigningThreads.run(() -> {
            try {
                jws.sign(key.signer());
            } catch (JOSEException e) {
                throw new IllegalStateException("signing failed with key " + key.kid(), e);
            }
            return jws.serialize();
        });
    }
}
