package io.gatehouse.core.token;

import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.TokenForge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class AccessTokenValidatorTest {
    static final String ISS = "https://as.example";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final AccessTokenValidator.Audience AUD = AccessTokenValidator.Audience.of(ISS);
    static Fakes.Keys keyStore;

    Fakes.MutableClock clock;
    SigningKeys keys;
    Fakes.Tokens store;
    Fakes.Clients clients;
    TokenIssuer issuer;
    AccessTokenValidator validator;

    @BeforeAll
    static void generateKeys() {
        keyStore = new Fakes.Keys();
        new SigningKeys(keyStore, io.gatehouse.core.token.keys.KeyProtection.plaintext(), java.time.Clock.systemUTC()).ensure(List.of(SigningAlg.values()));
    }

    @BeforeEach
    void setUp() {
        clock = new Fakes.MutableClock(T0);
        keys = new SigningKeys(keyStore, io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
        keys.ensure(List.of());
        store = new Fakes.Tokens();
        issuer = new TokenIssuer(ISS, keys, store, clock, new SecureRandom());
        clients = new Fakes.Clients();
        clients.insert(client(SigningAlg.RS256, TokenFormat.OPAQUE));
        validator = new AccessTokenValidator(ISS, keys, store, clients, clock);
    }

    Client client(SigningAlg alg, TokenFormat format) {
        return Client.builder(new ClientId("app")).secretHash("x").scope(Scope.of("a", "b")).signingAlg(alg)
                .tokenFormat(format).scopeClaim(ScopeClaim.ARRAY).accessTokenTtl(Duration.ofSeconds(3600)).build();
    }

    String jwt() {
        return issuer.accessToken(client(SigningAlg.RS256, TokenFormat.JWT), "app", Scope.of("a", "b"), Optional.empty(), Map.of()).value();
    }

    RSAKey serverRsaKey() throws Exception {
        return com.nimbusds.jose.jwk.JWK.parse(keyStore.all().stream().filter(k -> k.alg() == SigningAlg.RS256)
                .findFirst().orElseThrow().privateKey()).toRSAKey();
    }

    String reason(String token) {
        OAuthException e = assertThrows(OAuthException.class, () -> validator.require(token, AUD));
        assertInstanceOf(OAuthError.InvalidToken.class, e.error());
        assertTrue(validator.validate(token, AUD).isEmpty());
        return e.error().description();
    }

    @ParameterizedTest
    @EnumSource(SigningAlg.class)
    void validateWhenGenuineJwtThenDetails(SigningAlg alg) {
        String t = issuer.accessToken(client(alg, TokenFormat.JWT), "app", Scope.of("a", "b"), Optional.empty(), Map.of()).value();
        AccessTokenValidator.ValidatedToken v = validator.require(t, AUD);
        assertEquals("app", v.clientId());
        assertEquals(Optional.of("app"), v.subject());
        assertEquals(List.of("a", "b"), v.scope().asList());
        assertEquals(List.of(ISS), v.audience());
        assertEquals(T0.plusSeconds(3600), v.expiresAt());
        assertEquals(T0, v.issuedAt());
        assertTrue(v.jti().isPresent());
    }

    @Test
    void validateWhenScopeIsStringThenParsed() {
        Client c = client(SigningAlg.RS256, TokenFormat.JWT).toBuilder().scopeClaim(ScopeClaim.STRING).build();
        String t = issuer.accessToken(c, "app", Scope.of("a", "b"), Optional.empty(), Map.of()).value();
        assertEquals("a b", validator.require(t, AUD).scope().asString());
    }

    @Test
    void validateWhenExpiredBeyondSkewThenInvalid() {
        String t = jwt();
        clock.advance(Duration.ofSeconds(3600 + 29));
        assertTrue(validator.validate(t, AUD).isPresent(), "within the 30 s skew");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("The access token expired", reason(t));
    }

    @Test
    void validateWhenNotYetValidBeyondSkewThenInvalid() {
        String t = jwt();
        clock.set(T0.minusSeconds(30));
        assertTrue(validator.validate(t, AUD).isPresent());
        clock.set(T0.minusSeconds(31));
        assertEquals("The access token is not valid yet", reason(t));
    }

    @Test
    void validateWhenPayloadTamperedThenInvalidSignature() {
        String t = jwt();
        assertEquals("The access token signature is invalid", reason(TokenForge.tamper(t, "client_id", "admin")));
        assertEquals("The access token signature is invalid", reason(TokenForge.tamper(t, "exp", 4_000_000_000L)));
    }

    @Test
    void validateWhenSignedByOtherKeyWithSameKidThenInvalid() {
        String t = jwt();
        String forged = TokenForge.rs256(TokenForge.newRsaKey(), TokenForge.header(t, "kid"), "at+jwt", TokenForge.claims(t));
        assertEquals("The access token signature is invalid", reason(forged));
    }

    @Test
    void validateWhenUnknownKidThenInvalid() {
        String t = jwt();
        String forged = TokenForge.rs256(TokenForge.newRsaKey(), "not-a-kid", "at+jwt", TokenForge.claims(t));
        assertEquals("The access token was not signed by this server", reason(forged));
        assertEquals("The access token was not signed by this server", reason(forged));
    }

    @Test
    void validateWhenAlgNoneThenInvalid() {
        assertEquals("The access token is malformed", reason(TokenForge.algNone(jwt())));
    }

    @Test
    void validateWhenHmacWithPublicKeyBytesThenInvalid() throws Exception {
        String t = jwt();
        String forged = TokenForge.hs256(serverRsaKey().toPublicJWK().toJSONString().getBytes(), TokenForge.header(t, "kid"),
                TokenForge.claims(t));
        assertEquals("The access token was not signed by this server", reason(forged));
    }

    @Test
    void validateWhenAlgDoesNotMatchKeyThenInvalid() throws Exception {
        // An RS256 signature presented under the kid of the ES256 key.
        String esKid = keys.forAlg(SigningAlg.ES256).kid();
        String forged = TokenForge.rs256(serverRsaKey(), esKid, "at+jwt", TokenForge.claims(jwt()));
        assertEquals("The access token was not signed by this server", reason(forged));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "id_token+jwt", ""})
    void validateWhenTypIsNotAtJwtThenInvalid(String typ) throws Exception {
        String t = jwt();
        String other = TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), typ.isEmpty() ? null : typ, TokenForge.claims(t));
        assertEquals("The token is not an access token (typ must be at+jwt)", reason(other));
    }

    @Test
    void validateWhenApplicationAtJwtTypThenValid() throws Exception {
        String t = jwt();
        String other = TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "application/at+jwt", TokenForge.claims(t));
        assertTrue(validator.validate(other, AUD).isPresent());
    }

    @Test
    void validateWhenOtherIssuerThenInvalid() throws Exception {
        String t = jwt();
        Map<String, Object> c = TokenForge.claims(t);
        c.put("iss", "https://evil.example");
        assertEquals("The access token was issued by another issuer",
                reason(TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "at+jwt", c)));
    }

    @Test
    void validateWhenNoExpOrNoClientIdThenInvalid() throws Exception {
        String t = jwt();
        Map<String, Object> noExp = TokenForge.claims(t);
        noExp.remove("exp");
        assertEquals("The access token has no expiry", reason(TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "at+jwt", noExp)));
        Map<String, Object> noClient = TokenForge.claims(t);
        noClient.remove("client_id");
        assertEquals("The access token lacks client_id or jti",
                reason(TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "at+jwt", noClient)));
    }

    @Test
    void validateWhenJtiRevokedThenInvalid() {
        String t = jwt();
        store.revokeJwt(validator.require(t, AUD).jti().orElseThrow(), T0.plusSeconds(3600));
        assertEquals("The access token was revoked", reason(t));
    }

    @Test
    void validateWhenOpaqueThenLookedUpByHash() {
        String t = issuer.accessToken(client(SigningAlg.RS256, TokenFormat.OPAQUE), "app", Scope.of("a"), Optional.empty(), Map.of()).value();
        AccessTokenValidator.ValidatedToken v = validator.require(t, AUD);
        assertEquals("app", v.clientId());
        assertEquals("a", v.scope().asString());
        assertTrue(v.jti().isEmpty());
        clock.advance(Duration.ofSeconds(3600));
        assertEquals("The access token expired or was revoked", reason(t));
    }

    @Test
    void validateWhenOpaqueRevokedOrRefreshOrUnknownThenInvalid() {
        String t = issuer.accessToken(client(SigningAlg.RS256, TokenFormat.OPAQUE), "app", Scope.of("a"), Optional.empty(), Map.of()).value();
        store.revoke(Tokens.hash(t));
        assertEquals("The access token expired or was revoked", reason(t));
        store.save(new TokenRecord(Tokens.hash("refresh-value"), TokenRecord.Kind.REFRESH, new ClientId("app"), "u",
                Scope.EMPTY, T0, T0.plusSeconds(60), Optional.empty(), false));
        assertEquals("The access token is unknown", reason("refresh-value"));
        assertEquals("The access token is unknown", reason("nothing-like-this"));
    }

    @Test
    void validateWhenAudienceIsAnotherApiThenInvalidForTheIssuerAndValidForThatApi() {
        Client other = client(SigningAlg.RS256, TokenFormat.JWT).toBuilder().audience("https://other-api.example").build();
        String t = issuer.accessToken(other, "app", Scope.of("a"), Optional.empty(), Map.of()).value();
        assertEquals("The access token was issued for another audience", reason(t));
        assertEquals(List.of("https://other-api.example"),
                validator.require(t, AccessTokenValidator.Audience.of("https://other-api.example")).audience());
        assertTrue(validator.validate(t, AccessTokenValidator.Audience.any()).isPresent());
        assertTrue(validator.validate(jwt(), AccessTokenValidator.Audience.of("https://other-api.example")).isEmpty(),
                "a token for the issuer does not open another API");
    }

    @Test
    void validateWhenAudIsAnArrayOrMissingThenMemberOrNothing() throws Exception {
        String t = jwt();
        Map<String, Object> c = TokenForge.claims(t);
        c.put("aud", List.of("https://api.example", ISS));
        String both = TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "at+jwt", c);
        assertTrue(validator.validate(both, AUD).isPresent());
        assertTrue(validator.validate(both, AccessTokenValidator.Audience.of("https://api.example")).isPresent());
        c.remove("aud");
        String none = TokenForge.rs256(serverRsaKey(), TokenForge.header(t, "kid"), "at+jwt", c);
        assertEquals("The access token was issued for another audience", reason(none));
        assertTrue(validator.validate(none, AccessTokenValidator.Audience.any()).isPresent());
    }

    @Test
    void validateWhenOpaqueThenAudienceOfItsClient() {
        String t = issuer.accessToken(client(SigningAlg.RS256, TokenFormat.OPAQUE), "app", Scope.of("a"), Optional.empty(), Map.of()).value();
        assertEquals(List.of(ISS), validator.require(t, AUD).audience());
        clients.update(client(SigningAlg.RS256, TokenFormat.OPAQUE).toBuilder().audience("https://other-api.example").build());
        assertEquals("The access token was issued for another audience", reason(t));
        assertEquals(List.of("https://other-api.example"),
                validator.require(t, AccessTokenValidator.Audience.of("https://other-api.example")).audience());
        clients.delete(new ClientId("app"));
        assertEquals("The access token's client is no longer registered", reason(t));
        assertTrue(validator.validate(t, AccessTokenValidator.Audience.any()).isEmpty());
    }

    @Test
    void audienceWhenNamedEmptyThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> AccessTokenValidator.Audience.of(""));
        assertThrows(IllegalArgumentException.class, () -> validator.require(jwt(), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\u0000b", "a\nb", "x.y", "x.y.z", "...", "\u00e9t\u00e9"})
    void validateWhenGarbageThenInvalidNeverException(String garbage) {
        reason(garbage);
    }

    @Test
    void validateWhenHugeThenInvalid() {
        assertEquals("The access token is malformed", reason("a".repeat(AccessTokenValidator.MAX_TOKEN_LENGTH + 1)));
        assertNull(assertDoesNotThrow(() -> validator.validate(null, AUD)).orElse(null));
    }

    @Test
    void verifiedClaimsWhenKeyReloadHitsUnavailableStoreThenThrowsInsteadOfNoSuchToken() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        Fakes.Keys flaky = new Fakes.Keys() {
            @Override
            public synchronized List<StoredKey> all() {
                if (down.get()) throw new io.gatehouse.core.port.StoreUnavailableException("down", 2, null);
                return keyStore.all();
            }
        };
        SigningKeys flakyKeys = new SigningKeys(flaky, io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
        flakyKeys.ensure(List.of());
        AccessTokenValidator v = new AccessTokenValidator(ISS, flakyKeys, store, clients, clock);
        RSAKey other = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("not-loaded-yet").generate();
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new com.nimbusds.jose.JWSHeader.Builder(
                com.nimbusds.jose.JWSAlgorithm.RS256).keyID("not-loaded-yet").type(new com.nimbusds.jose.JOSEObjectType("at+jwt"))
                .build(), new com.nimbusds.jose.Payload(Map.of("iss", ISS)));
        jws.sign(new com.nimbusds.jose.crypto.RSASSASigner(other));
        down.set(true);
        // A revocation of a token signed by a key this node has not loaded yet must not answer "unknown token" (200).
        assertThrows(io.gatehouse.core.port.StoreUnavailableException.class,
                () -> v.verifiedClaims(jws.serialize(), "at+jwt"));
    }
}
