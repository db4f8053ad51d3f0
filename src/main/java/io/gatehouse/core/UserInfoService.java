package io.gatehouse.core;

import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;

import java.util.Map;
import java.util.Optional;

/**
 * OIDC Core §5.3 userinfo: for the token's user, the claims the access token's scope allows and those the claims
 * parameter of its grant asked for in {@code userinfo} (§5.5; kept with the grant, so access tokens from refreshes
 * honour it too: an opaque token names its grant, a JWT's grant is found by its jti). Userinfo is a resource
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
    private final GrantStore grants;

    public UserInfoService(AccessTokenValidator validator, UserStore users, GrantStore grants) {
        this.validator = validator;
        this.users = users;
        this.grants = grants;
    }

    public Result userinfo(String accessToken) {
        Optional<AccessTokenValidator.ValidatedToken> info = validator.validate(accessToken, validator.issuerAudience());
        if (info.isEmpty()) return new Result.InvalidToken("The access token is invalid, expired or revoked");
        if (!info.get().scope().contains("openid")) return new Result.InsufficientScope("openid");
        Optional<User> user = info.get().subject().flatMap(users::find);
        if (user.isEmpty()) return new Result.InvalidToken("The access token does not belong to a user");
        return new Result.Claims(UserClaims.userinfo(user.get(), info.get().scope(), claimsRequest(info.get())));
    }

    private ClaimsRequest claimsRequest(AccessTokenValidator.ValidatedToken token) {
        Optional<AuthorizationCode> grant = token.jti().isPresent() ? grants.findByJwt(token.jti().get())
                : token.grantId().flatMap(grants::findByGrantId);
        return grant.map(AuthorizationCode::claims).orElse(ClaimsRequest.NONE);
    }
}
