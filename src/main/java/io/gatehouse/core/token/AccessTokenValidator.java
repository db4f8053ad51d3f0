package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.TokenStore;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates access tokens issued by this server, for userinfo, introspection and protected resources.
 * JWTs: compact JWS with typ at+jwt, a known kid whose algorithm matches the header, a valid signature,
 * our iss, exp in the future, nbf not in the future, a jti not on the deny-list. Opaque tokens: looked up
 * by hash, not revoked, not expired. Anything else is simply not active.
 */
public final class AccessTokenValidator {
    /** What an active access token says. {@code jti} is empty for opaque tokens. */
    public record AccessTokenInfo(String subject, ClientId clientId, Scope scope, Instant issuedAt, Instant expiresAt,
                                  List<String> audience, Optional<String> jti) {
    }

    public static final int MAX_TOKEN_LENGTH = 8192;

    private final String issuer;
    private final SigningKeys keys;
    private final TokenStore tokens;
    private final Clock clock;

    public AccessTokenValidator(String issuer, SigningKeys keys, TokenStore tokens, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** @return the token's facts when it is active now, empty otherwise */
    public Optional<AccessTokenInfo> validate(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) return Optional.empty();
        return token.indexOf('.') >= 0 ? jwt(token) : opaque(token);
    }

    private Optional<AccessTokenInfo> opaque(String token) {
        Instant now = clock.instant();
        return tokens.findByHash(Tokens.hash(token))
                .filter(t -> t.kind() == TokenRecord.Kind.ACCESS && t.activeAt(now))
                .map(t -> new AccessTokenInfo(t.subject(), t.clientId(), t.scope(), t.issuedAt(), t.expiresAt(),
                        List.of(), Optional.empty()));
    }

    /** Verifies signature and header of a JWT we issued; the claims when it verifies (expired or not). */
    public Optional<Map<String, Object>> verifiedClaims(String token, String expectedTyp) {
        try {
            JWSObject jws = JWSObject.parse(token);
            if (jws.getHeader().getType() == null || !expectedTyp.equals(jws.getHeader().getType().getType())) {
                return Optional.empty();
            }
            String kid = jws.getHeader().getKeyID();
            if (kid == null || kid.length() > 100) return Optional.empty();
            Optional<SigningKeys.Key> key = keys.forKid(kid);
            if (key.isEmpty() || !key.get().jwsAlgorithm().equals(jws.getHeader().getAlgorithm())) return Optional.empty();
            if (!jws.verify(key.get().verifier())) return Optional.empty();
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            if (claims == null || !issuer.equals(claims.get("iss"))) return Optional.empty();
            return Optional.of(claims);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<AccessTokenInfo> jwt(String token) {
        Optional<Map<String, Object>> verified = verifiedClaims(token, TokenIssuer.AT_JWT.getType());
        if (verified.isEmpty()) return Optional.empty();
        Map<String, Object> c = verified.get();
        long now = clock.instant().getEpochSecond();
        Long exp = number(c.get("exp"));
        Long iat = number(c.get("iat"));
        Long nbf = number(c.get("nbf"));
        if (exp == null || exp <= now || nbf != null && nbf > now + 60) return Optional.empty();
        if (!(c.get("sub") instanceof String sub) || !(c.get("client_id") instanceof String cid) || !ClientId.isValid(cid)
                || !(c.get("jti") instanceof String jti)) {
            return Optional.empty();
        }
        if (tokens.isJwtRevoked(jti)) return Optional.empty();
        return Optional.of(new AccessTokenInfo(sub, new ClientId(cid), scope(c.get("scope")),
                Instant.ofEpochSecond(iat == null ? now : iat), Instant.ofEpochSecond(exp), audience(c.get("aud")),
                Optional.of(jti)));
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    private static Scope scope(Object o) {
        try {
            if (o instanceof String s) return Scope.parse(s);
            if (o instanceof List<?> l) {
                List<String> v = new ArrayList<>();
                for (Object x : l) v.add(String.valueOf(x));
                return new Scope(new java.util.LinkedHashSet<>(v));
            }
        } catch (IllegalArgumentException e) {
            return Scope.EMPTY;
        }
        return Scope.EMPTY;
    }

    private static List<String> audience(Object o) {
        if (o instanceof String s) return List.of(s);
        if (o instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of();
    }
}
