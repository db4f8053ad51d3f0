package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEObjectType;
import io.gatehouse.core.UserClaims;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** OIDC Core §2 ID tokens, signed with the client's algorithm (RS256 by default). */
public final class IdTokens {
    private final TokenIssuer issuer;
    private final Clock clock;

    public IdTokens(TokenIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * @param scope       the granted scope; decides which user claims are included
     * @param accessToken the access token issued alongside, for at_hash
     */
    public String issue(Client client, User user, Scope scope, Instant authTime, Optional<String> nonce, String accessToken) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.issuer());
        claims.put("sub", user.id());
        claims.put("aud", client.id().value());
        claims.put("exp", now.plus(client.idTokenTtl()).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("auth_time", authTime.getEpochSecond());
        nonce.ifPresent(n -> claims.put("nonce", n));
        claims.put("azp", client.id().value());
        claims.put("at_hash", atHash(client.signingAlg(), accessToken));
        UserClaims.forScope(user, scope).forEach(claims::putIfAbsent);
        return issuer.sign(client, JOSEObjectType.JWT, claims);
    }

    /** OIDC Core §3.1.3.6: left half of the hash (the one of the JWS alg) of the ASCII access token. */
    public static String atHash(SigningAlg alg, String accessToken) {
        String hashAlg = alg == SigningAlg.EdDSA ? "SHA-512" : "SHA-256";
        try {
            byte[] d = MessageDigest.getInstance(hashAlg).digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, d.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
