package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.TokenStore;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Validates access tokens the way an independent resource server would (RFC 9068 §4, RFC 6750): a JWT
 * must be a JWS signed by one of the keys the JWKS endpoint publishes (looked up by {@code kid}, with the
 * header {@code alg} equal to that key's algorithm, so {@code alg: none} and algorithm confusion fail),
 * carry {@code typ: at+jwt}, this server's {@code iss}, be within {@code nbf}/{@code exp} (allowing
 * {@link #SKEW}), name the caller's expected {@link Audience} in {@code aud}, and its {@code jti} must not be
 * revoked. Opaque tokens are looked up by their hash; their audience is the one a JWT of their client would carry
 * (the client's {@code --audience}, else the issuer, plus the admin API's for an admin scope: {@link AdminAccess}), so
 * a client's tokens open the same resources in both formats.
 * Reasons are fixed texts and never echo the token.
 */
public final class AccessTokenValidator {
    public static final Duration SKEW = Duration.ofSeconds(30);
    /** Longer values are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    private static final Duration UNKNOWN_KID_RELOAD_INTERVAL = Duration.ofSeconds(10);
    private static final String OTHER_AUDIENCE = "The access token was issued for another audience";

    /**
     * The audience a caller expects (RFC 9068 §4 step 3): every validation names one, so that a token minted for
     * one API never opens another.
     */
    public sealed interface Audience {
        /** The token's {@code aud} must contain this value. */
        record Named(String value) implements Audience {
            public Named {
                if (value == null || value.isEmpty()) throw new IllegalArgumentException("an expected audience is required");
            }
        }

        /**
         * Any audience: for introspection only, which then applies its own rule of who may see the token
         * (see {@code IntrospectionService}).
         */
        record Any() implements Audience {
        }

        static Audience of(String value) {
            return new Named(value);
        }

        static Audience any() {
            return new Any();
        }

        default boolean accepts(List<String> aud) {
            return switch (this) {
                case Named n -> aud.contains(n.value());
                case Any a -> true;
            };
        }
    }

    /**
     * A valid access token.
     *
     * @param subject  the resource owner ({@code sub}); the client id for client_credentials tokens
     * @param audience {@code aud} values; for an opaque token the audience of its client
     * @param jti      the JWT id; empty for opaque tokens
     * @param grantId  the grant an opaque token was issued from; empty for JWTs (their grant is found by jti)
     * @param claims   every JWT claim as parsed (empty for opaque tokens)
     */
    public record ValidatedToken(String clientId, Optional<String> subject, Scope scope, List<String> audience,
                                 Instant issuedAt, Instant expiresAt, Optional<String> jti, Optional<String> grantId,
                                 Map<String, Object> claims) {
        public ValidatedToken {
            if (clientId == null || clientId.isEmpty()) throw new IllegalArgumentException("client id is required");
            audience = List.copyOf(audience);
            claims = Map.copyOf(claims);
        }

        @Override
        public String toString() {
            return "ValidatedToken[clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final String issuer;
    private final SigningKeys keys;
    private final TokenStore store;
    private final ClientRepository clients;
    private final Clock clock;
    private volatile long lastUnknownKidReload = Long.MIN_VALUE / 2;

    /** @param clients looked up for opaque tokens only (their audience is their client's) */
    public AccessTokenValidator(String issuer, SigningKeys keys, TokenStore store, ClientRepository clients, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.store = store;
        this.clients = clients;
        this.clock = clock;
    }

    /** This server's issuer: the audience of access tokens of clients without {@code --audience}. */
    public Audience issuerAudience() {
        return Audience.of(issuer);
    }

    /** The token's details when it is valid for {@code expected}, else empty. */
    public Optional<ValidatedToken> validate(String token, Audience expected) {
        try {
            return Optional.of(require(token, expected));
        } catch (OAuthException e) {
            return Optional.empty();
        }
    }

    /**
     * @param expected the audience the caller expects in {@code aud}
     * @throws OAuthException with {@link OAuthError.InvalidToken} naming the reason (fixed text)
     */
    public ValidatedToken require(String token, Audience expected) {
        if (expected == null) throw new IllegalArgumentException("an expected audience is required");
        if (token == null || token.isEmpty()) throw invalid("The access token is missing");
        if (token.length() > MAX_TOKEN_LENGTH) throw invalid("The access token is malformed");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E) throw invalid("The access token is malformed");
        }
        return token.indexOf('.') < 0 ? opaque(token, expected) : jwt(token, expected);
    }

    private ValidatedToken opaque(String token, Audience expected) {
        Instant now = clock.instant();
        TokenRecord r = store.findByHash(Tokens.hash(token))
                .filter(t -> t.kind() == TokenRecord.Kind.ACCESS)
                .orElseThrow(() -> invalid("The access token is unknown"));
        if (!r.activeAt(now)) throw invalid("The access token expired or was revoked");
        Client client = clients.find(r.clientId()).orElseThrow(() -> invalid("The access token's client is no longer registered"));
        List<String> audience = AdminAccess.audiences(client.audience().orElse(issuer), r.scope(), issuer);
        if (!expected.accepts(audience)) throw invalid(OTHER_AUDIENCE);
        return new ValidatedToken(r.clientId().value(), Optional.ofNullable(r.subject()), r.scope(), audience,
                r.issuedAt(), r.expiresAt(), Optional.empty(), r.grantId(), Map.of());
    }

    private ValidatedToken jwt(String token, Audience expected) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);  // refuses alg "none" (not a JWS header) and JWE
        } catch (ParseException e) {
            throw invalid("The access token is malformed");
        }
        JWSHeader h = jws.getHeader();
        JOSEObjectType typ = h.getType();
        String t = typ == null ? "" : typ.getType().toLowerCase(Locale.ROOT);
        if (!t.equals("at+jwt") && !t.equals("application/at+jwt")) {
            throw invalid("The token is not an access token (typ must be at+jwt)");
        }
        if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
            throw invalid("The access token has unsupported critical header parameters");
        }
        SigningKeys.Key key = key(h.getKeyID()).orElseThrow(() -> invalid("The access token was not signed by this server"));
        if (!key.jwsAlgorithm().equals(h.getAlgorithm())) {
            throw invalid("The access token was not signed by this server");
        }
        try {
            if (!jws.verify(key.verifier())) throw invalid("The access token signature is invalid");
        } catch (JOSEException e) {
            throw invalid("The access token signature is invalid");
        }
        JWTClaimsSet claims;
        try {
            Map<String, Object> json = jws.getPayload().toJSONObject();
            if (json == null) throw invalid("The access token is malformed");
            claims = JWTClaimsSet.parse(json);
        } catch (ParseException e) {
            throw invalid("The access token is malformed");
        }
        return checkClaims(claims, expected);
    }

    /**
     * Verifies the signature, {@code typ} and {@code iss} of a JWT this server issued and returns its claims,
     * expired or not, whatever its audience: for {@code id_token_hint} at logout (an ID token's {@code aud} is the
     * client it names) and for revocation (by the client the token was issued to, whatever its audience); empty when
     * anything fails.
     */
    public Optional<Map<String, Object>> verifiedClaims(String token, String expectedTyp) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) return Optional.empty();
        try {
            JWSObject jws = JWSObject.parse(token);
            JWSHeader h = jws.getHeader();
            if (h.getType() == null || !expectedTyp.equalsIgnoreCase(h.getType().getType())) return Optional.empty();
            Optional<SigningKeys.Key> key = key(h.getKeyID());
            if (key.isEmpty() || !key.get().jwsAlgorithm().equals(h.getAlgorithm())) return Optional.empty();
            if (!jws.verify(key.get().verifier())) return Optional.empty();
            Map<String, Object> claims = jws.getPayload().toJSONObject();
            if (claims == null || !issuer.equals(claims.get("iss"))) return Optional.empty();
            return Optional.of(claims);
        } catch (StoreUnavailableException e) {
            throw e;  // not "no such token": a revocation must answer 503, never a 200 that revoked nothing
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private ValidatedToken checkClaims(JWTClaimsSet c, Audience expected) {
        if (!issuer.equals(c.getIssuer())) throw invalid("The access token was issued by another issuer");
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (exp == null) throw invalid("The access token has no expiry");
        if (!now.isBefore(exp.toInstant().plus(SKEW))) throw invalid("The access token expired");
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(SKEW))) throw invalid("The access token is not valid yet");
        List<String> audience = c.getAudience() == null ? List.of() : c.getAudience();
        if (!expected.accepts(audience)) throw invalid(OTHER_AUDIENCE);
        String clientId;
        String jti;
        try {
            clientId = c.getStringClaim("client_id");
            jti = c.getJWTID();
        } catch (ParseException e) {
            throw invalid("The access token is malformed");
        }
        if (clientId == null || clientId.isEmpty() || jti == null || jti.isEmpty()) {
            throw invalid("The access token lacks client_id or jti");
        }
        if (store.isJwtRevoked(jti)) throw invalid("The access token was revoked");
        Date iat = c.getIssueTime();
        return new ValidatedToken(clientId, Optional.ofNullable(c.getSubject()), scope(c.getClaim("scope")), audience,
                iat == null ? Instant.EPOCH : iat.toInstant(), exp.toInstant(), Optional.of(jti), Optional.empty(),
                nonNull(c.getClaims()));
    }

    /** RFC 9068 space-delimited string, or the JSON array some clients need (see {@code ScopeClaim}). */
    private static Scope scope(Object raw) {
        try {
            if (raw == null) return Scope.EMPTY;
            if (raw instanceof String s) return Scope.parse(s);
            if (raw instanceof List<?> l) {
                java.util.LinkedHashSet<String> v = new java.util.LinkedHashSet<>();
                for (Object o : l) {
                    if (!(o instanceof String s)) throw invalid("The access token has a malformed scope");
                    v.add(s);
                }
                return new Scope(v);
            }
        } catch (IllegalArgumentException e) {
            throw invalid("The access token has a malformed scope");
        }
        throw invalid("The access token has a malformed scope");
    }

    private static Map<String, Object> nonNull(Map<String, Object> claims) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        claims.forEach((k, v) -> {
            if (v != null) out.put(k, v);
        });
        return out;
    }

    /** Known kids never touch the database; an unknown kid reloads the keys at most every few seconds. */
    private Optional<SigningKeys.Key> key(String kid) {
        if (kid == null) return Optional.empty();
        for (SigningKeys.Key k : keys.all()) {
            if (k.kid().equals(kid)) return Optional.of(k);
        }
        long now = clock.millis();
        if (now - lastUnknownKidReload < UNKNOWN_KID_RELOAD_INTERVAL.toMillis()) return Optional.empty();
        lastUnknownKidReload = now;
        return keys.forKid(kid);
    }

    private static OAuthException invalid(String reason) {
        return new OAuthException(new OAuthError.InvalidToken(reason));
    }
}
