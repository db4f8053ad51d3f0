package io.gatehouse.core;

import com.nimbusds.jose.JWSObject;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class TokenIssuerTest {
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00.750Z"));
    final Fakes.Tokens store = new Fakes.Tokens();
    final SigningKeys keys = new SigningKeys(new Fakes.Keys(), io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
    final TokenIssuer issuer = new TokenIssuer("https://as.example", keys, store, clock, new SecureRandom());

    @Test
    void opaqueTokenIsStoredOnlyAsItsHash() {
        Client c = Client.builder(new ClientId("c")).secretHash("x").tokenFormat(TokenFormat.OPAQUE)
                .accessTokenTtl(Duration.ofSeconds(60)).build();
        TokenIssuer.IssuedToken t = issuer.accessToken(c, "c", Scope.of("a"), Optional.of("g1"), Map.of());
        assertEquals(1, store.rows.size());
        TokenRecord r = store.rows.get(Tokens.hash(t.value()));
        assertNotNull(r);
        assertFalse(store.rows.containsKey(t.value()));
        assertEquals(Instant.parse("2026-01-01T00:01:00Z"), r.expiresAt());
        assertEquals(Optional.of("g1"), r.grantId());
        assertTrue(t.jti().isEmpty());
    }

    @Test
    void jwtCarriesRfc9068ClaimsAndScopeArrayWhenAsked() throws Exception {
        Client c = Client.builder(new ClientId("coupang")).secretHash("x").scopeClaim(ScopeClaim.ARRAY)
                .signingAlg(SigningAlg.ES256).claims(Map.of("tenant", "t1")).audience("api://x").build();
        TokenIssuer.IssuedToken t = issuer.accessToken(c, "coupang", Scope.of("bailunApi"), Optional.empty(),
                Map.of("iss", "ignored", "extra", 1));
        JWSObject jws = JWSObject.parse(t.value());
        assertEquals("at+jwt", jws.getHeader().getType().getType());
        assertEquals("ES256", jws.getHeader().getAlgorithm().getName());
        assertTrue(jws.verify(keys.forKid(jws.getHeader().getKeyID()).orElseThrow().verifier()));
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        assertEquals("https://as.example", claims.get("iss"));
        assertEquals(List.of("bailunApi"), claims.get("scope"));
        assertEquals("api://x", claims.get("aud"));
        assertEquals("t1", claims.get("tenant"));
        assertEquals(1767225600L, ((Number) claims.get("iat")).longValue());
        assertEquals(1767225600L, ((Number) claims.get("nbf")).longValue());
        assertEquals(1767229200L, ((Number) claims.get("exp")).longValue());
        assertEquals(t.jti().orElseThrow(), claims.get("jti"));
        assertTrue(store.rows.isEmpty());
    }

    @Test
    void keysAreGeneratedOnceAndReusedAcrossInstances() {
        Fakes.Keys shared = new Fakes.Keys();
        SigningKeys a = new SigningKeys(shared, io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
        SigningKeys b = new SigningKeys(shared, io.gatehouse.core.token.keys.KeyProtection.plaintext(), clock);
        a.ensure(List.of(SigningAlg.ES256, SigningAlg.EdDSA));
        b.ensure(List.of(SigningAlg.ES256, SigningAlg.EdDSA));
        assertEquals(2, shared.rows.size());
        assertEquals(a.forAlg(SigningAlg.ES256).kid(), b.forAlg(SigningAlg.ES256).kid());
        assertFalse(a.publicJwksJson().contains("\"d\""));
    }

    @Test
    void jwtHeaderX5tWhenClientAsksThenAccessAndIdTokensCarryTheCertificateThumbprintAndOthersDoNot() throws Exception {
        io.gatehouse.core.token.IdTokens ids = new io.gatehouse.core.token.IdTokens(issuer, io.gatehouse.core.model.Acr.DEFAULT, clock);
        io.gatehouse.core.model.User user = new io.gatehouse.core.model.User("u1", "alice", "x", Optional.empty(),
                Optional.empty(), false, Map.of(), clock.instant(), clock.instant());
        for (SigningAlg alg : SigningAlg.values()) {
            Client with = Client.builder(new ClientId("x5t-" + alg)).secretHash("x").signingAlg(alg).jwtHeaderX5t(true).build();
            Client without = Client.builder(new ClientId("plain-" + alg)).secretHash("x").signingAlg(alg).build();
            String at = issuer.accessToken(with, "s", Scope.EMPTY, Optional.empty(), Map.of()).value();
            String id = ids.issue(with, user, io.gatehouse.core.model.ClaimsRequest.NONE, clock.instant(), Optional.empty(), at);
            for (String jwt : List.of(at, id)) {
                JWSObject jws = JWSObject.parse(jwt);
                SigningKeys.Key key = keys.forKid(jws.getHeader().getKeyID()).orElseThrow();
                byte[] der = key.publicJwk().getX509CertChain().getFirst().decode();
                assertEquals(io.gatehouse.testing.JwksCertificates.b64url(io.gatehouse.testing.JwksCertificates.digest("SHA-1", der)),
                        jws.getHeader().toJSONObject().get("x5t"), alg + " " + jws.getHeader().getType());
                assertTrue(jws.verify(key.verifier()));
            }
            String plainAt = issuer.accessToken(without, "s", Scope.EMPTY, Optional.empty(), Map.of()).value();
            String plainId = ids.issue(without, user, io.gatehouse.core.model.ClaimsRequest.NONE, clock.instant(), Optional.empty(), plainAt);
            for (String jwt : List.of(plainAt, plainId)) {
                assertFalse(JWSObject.parse(jwt).getHeader().toJSONObject().containsKey("x5t"), alg + ": no x5t");
                assertFalse(JWSObject.parse(jwt).getHeader().toJSONObject().containsKey("x5c"), alg + ": no x5c");
            }
        }
    }
}
