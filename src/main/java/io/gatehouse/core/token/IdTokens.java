package io.gatehouse.core.token;

import com.nimbusds.jose.JOSEObjectType;
import io.gatehouse.core.UserClaims;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Client;
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

/**
 * OIDC Core §2 ID tokens, signed with the client's algorithm (RS256 by default). An ID token is always issued with an
 * access token here, so it carries the user's claims only when the claims parameter asks for them in {@code id_token}
 * (§5.4, see {@link UserClaims}); {@code acr} states how the user signed in.
 */
public final class IdTokens {
    private final TokenIssuer issuer;
    private final Acr acr;
    private final Clock clock;

    public IdTokens(TokenIssuer issuer, Acr acr, Clock clock) {
        this.issuer = issuer;
        this.acr = acr;
        this.clock = clock;
    }

    /**
     * @param claims      the grant's claims request; its {@code id_token} member decides which user claims are included
     * @param accessToken the access token issued alongside, for at_hash
     */
    public String issue(Client client, User user, ClaimsRequest claims, Instant authTime, Optional<String> nonce,
                        String accessToken) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("iss", issuer.issuer());
        out.put("sub", user.id());
        out.put("aud", client.id().value());
        out.put("exp", now.plus(client.idTokenTtl()).getEpochSecond());
        out.put("iat", now.getEpochSecond());
        out.put("auth_time", authTime.getEpochSecond());
        nonce.ifPresent(n -> out.put("nonce", n));
        out.put("acr", acr.password());  // every session starts with a password sign-in
        out.put("azp", client.id().value());
        out.put("at_hash", atHash(client.signingAlg(), accessToken));
        UserClaims.idToken(user, claims).forEach(out::putIfAbsent);
        return issuer.sign(client, JOSEObjectType.JWT, out);
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
