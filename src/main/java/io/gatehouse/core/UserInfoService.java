package io.gatehouse.core;

import io.gatehouse.core.model.User;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OIDC Core §5.3 userinfo: the claims the access token's scope allows, for the token's user. Userinfo is a resource
 * of this server, so the token's {@code aud} must name the issuer: the default audience of every access token. A
 * client registered with {@code --audience} gets tokens for that API only, which userinfo refuses (its ID token
 * carries the user's claims).
 */
public final class UserInfoService {
    /** The outcome, mapped to RFC 6750 responses by the endpoint. */
    public sealed interface Result {
        record Claims(Map<String, Object> claims) implements Result {
        }

        record InvalidToken(String description) implements Result {
        }

        /** The token is valid but was not issued with the openid scope. */
        record InsufficientScope(String scope) implements Result {
        }
    }

    private final AccessTokenValidator validator;
    private final UserStore users;

    public UserInfoService(AccessTokenValidator validator, UserStore users) {
        this.validator = validator;
        this.users = users;
    }

    public Result userinfo(String accessToken) {
        Optional<AccessTokenValidator.ValidatedToken> info = validator.validate(accessToken, validator.issuerAudience());
        if (info.isEmpty()) return new Result.InvalidToken("The access token is invalid, expired or revoked");
        if (!info.get().scope().contains("openid")) return new Result.InsufficientScope("openid");
        Optional<User> user = info.get().subject().flatMap(users::find);
        if (user.isEmpty()) return new Result.InvalidToken("The access token does not belong to a user");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.get().id());
        claims.putAll(UserClaims.forScope(user.get(), info.get().scope()));
        return new Result.Claims(claims);
    }
}
