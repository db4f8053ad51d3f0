package io.gatehouse.core.grant;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.model.User;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.IdTokens;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.InMemoryStores;
import io.gatehouse.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The code and refresh grants against in-memory fakes and a controlled clock. */
class UserGrantsTest {
    static final String ISS = "https://issuer.example";
    final MutableClock clock = new MutableClock();
    final InMemoryStores stores = new InMemoryStores();
    final SecureRandom random = new SecureRandom();
    AuthorizationCodeGrant codeGrant;
    RefreshTokenGrant refreshGrant;
    AccessTokenValidator validator;
    final Client client = Client.builder(new ClientId("app")).secretHash("$argon2id$x")
            .grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)).refreshTokens(true).build();
    final User user = new User("u_1", "ada", "$argon2id$x", Optional.empty(), Optional.empty(), false, Map.of(),
            Instant.EPOCH, Instant.EPOCH);

    @BeforeEach
    void wire() {
        SigningKeys keys = new SigningKeys(stores.keyStore, io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
        TokenIssuer issuer = new TokenIssuer(ISS, keys, stores.tokens, clock, random);
        UserTokens userTokens = new UserTokens(issuer, new IdTokens(issuer, Acr.DEFAULT, clock), stores.codeStore, clock, random);
        codeGrant = new AuthorizationCodeGrant(stores.codeStore, stores.codeStore, stores.userStore, userTokens, clock);
        refreshGrant = new RefreshTokenGrant(stores.codeStore, stores.userStore, userTokens, clock);
        Fakes.Clients clients = new Fakes.Clients();
        clients.insert(client);
        validator = new AccessTokenValidator(ISS, keys, stores.tokens, clients, clock);
        stores.userStore.insert(user);
    }

    String code(Optional<String> challenge) {
        String code = Tokens.random(random, 32);
        Instant now = clock.instant();
        stores.codeStore.save(new AuthorizationCode(Tokens.hash(code), "g-" + code.substring(0, 8), client.id(), user.id(),
                "https://app.example/cb", true, Scope.of("openid"), Optional.of("n"), challenge, ClaimsRequest.NONE, now, now,
                now.plus(Duration.ofMinutes(5))));
        return code;
    }

    TokenResult redeem(String code, Optional<String> verifier) {
        return codeGrant.grant(client, new TokenRequest.AuthorizationCode(code, Optional.of("https://app.example/cb"), verifier));
    }

    static void assertInvalidGrant(Runnable r) {
        OAuthException e = assertThrows(OAuthException.class, r::run);
        assertInstanceOf(OAuthError.InvalidGrant.class, e.error());
    }

    @Test
    void codeWhenRedeemedTwiceThenSecondFailsAndFirstTokensRevoked() {
        String code = code(Optional.empty());
        TokenResult first = redeem(code, Optional.empty());
        assertTrue(validator.validate(first.accessToken(), AccessTokenValidator.Audience.of(ISS)).isPresent());
        assertTrue(first.idToken().isPresent() && first.refreshToken().isPresent());
        assertInvalidGrant(() -> redeem(code, Optional.empty()));
        assertTrue(validator.validate(first.accessToken(), AccessTokenValidator.Audience.of(ISS)).isEmpty(), "the JWT's jti is deny-listed");
        assertTrue(stores.tokens.findByHash(Tokens.hash(first.refreshToken().get())).orElseThrow().revoked());
    }

    @Test
    void codeWhenOlderThanFiveMinutesThenInvalidGrant() {
        String code = code(Optional.empty());
        clock.advance(Duration.ofMinutes(5));
        assertInvalidGrant(() -> redeem(code, Optional.empty()));
    }

    @Test
    void codeWhenPkceDowngradedOrWrongThenInvalidGrant() {
        String verifier = Tokens.random(random, 32);
        assertInvalidGrant(() -> redeem(code(Optional.empty()), Optional.of(verifier)));
        assertInvalidGrant(() -> redeem(code(Optional.of(Pkce.s256(verifier))), Optional.empty()));
        assertInvalidGrant(() -> redeem(code(Optional.of(Pkce.s256(verifier))), Optional.of(Tokens.random(random, 32))));
        assertNotNull(redeem(code(Optional.of(Pkce.s256(verifier))), Optional.of(verifier)).accessToken());
    }

    @Test
    void refreshWhenReusedThenFamilyRevoked() {
        TokenResult first = redeem(code(Optional.empty()), Optional.empty());
        TokenResult second = refreshGrant.grant(client, new TokenRequest.RefreshToken(first.refreshToken().get(), Optional.empty()));
        assertTrue(validator.validate(second.accessToken(), AccessTokenValidator.Audience.of(ISS)).isPresent());
        assertInvalidGrant(() -> refreshGrant.grant(client, new TokenRequest.RefreshToken(first.refreshToken().get(), Optional.empty())));
        assertTrue(validator.validate(second.accessToken(), AccessTokenValidator.Audience.of(ISS)).isEmpty());
        assertInvalidGrant(() -> refreshGrant.grant(client, new TokenRequest.RefreshToken(second.refreshToken().get(), Optional.empty())));
    }

    @Test
    void accessTokenWhenExpiredThenInvalid() {
        TokenResult t = redeem(code(Optional.empty()), Optional.empty());
        assertTrue(validator.validate(t.accessToken(), AccessTokenValidator.Audience.of(ISS)).isPresent());
        clock.advance(client.accessTokenTtl().plus(AccessTokenValidator.SKEW).plusSeconds(1));
        assertTrue(validator.validate(t.accessToken(), AccessTokenValidator.Audience.of(ISS)).isEmpty());
    }
}
