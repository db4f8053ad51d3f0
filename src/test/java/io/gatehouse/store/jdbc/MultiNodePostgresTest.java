package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.Gatehouse;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.token.Tokens;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.Http.token;
import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two Gatehouse nodes on one PostgreSQL database (a fresh schema), started at the same moment on an empty
 * database with the same key-encryption key: they must agree on the signing keys (stored sealed under that KEK)
 * and see each other's tokens and client changes at once.
 */
class MultiNodePostgresTest {
    static TestDb pg;
    static Gatehouse a;
    static Gatehouse b;
    static ClientAdmin admin;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        pg = TestDb.postgres();
        List<Gatehouse> nodes = StoreContract.race(2, () -> Gatehouse.start(pg.serverConfig(), Clock.systemUTC()));
        a = nodes.get(0);
        b = nodes.get(1);
        admin = new ClientAdmin(new JdbcClientRepository(pg.db), new SecretHasher(), Clock.systemUTC(),
                new SecureRandom());
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (pg != null) pg.close();
    }

    @Test
    void jwksWhenBothStartedTogetherOnEmptyDatabaseThenSameKeysOnePerAlg() throws Exception {
        HttpResponse<String> ja = Http.get(a.issuer() + "/jwks");
        HttpResponse<String> jb = Http.get(b.issuer() + "/jwks");
        assertEquals(200, ja.statusCode());
        assertEquals(ja.body(), jb.body());
        JWKSet set = JWKSet.parse(ja.body());
        assertEquals(SigningAlg.values().length, set.getKeys().size());
        Set<String> algs = new HashSet<>();
        set.getKeys().forEach(k -> algs.add(k.getAlgorithm().getName()));
        assertEquals(SigningAlg.values().length, algs.size(), algs.toString());
        assertEquals(SigningAlg.values().length, new JdbcKeyStore(pg.db).all().size());
    }

    @Test
    void keysWhenBothNodesHaveTheSameKekThenSealedUnderItAndNoPrivatePartInClear() throws Exception {
        String kekId = AesGcmKeyProtection.fingerprint(java.util.Base64.getDecoder().decode(TestDb.TEST_KEK));
        AesGcmKeyProtection kek = AesGcmKeyProtection.of(java.util.Base64.getDecoder().decode(TestDb.TEST_KEK));
        for (var k : new JdbcKeyStore(pg.db).all()) {
            assertEquals(Optional.of(kekId), k.kekId(), k.kid());
            assertTrue(k.privateKey().startsWith("gcm1."), k.kid());
            String d = (String) com.nimbusds.jose.jwk.JWK.parse(kek.open(k)).toJSONObject().get("d");
            assertFalse(k.privateKey().contains(d), k.kid());
        }
    }

    @Test
    void tokenWhenIssuedByNodeAThenStoredForNodeBAndJwtVerifiesWithNodeBKeys() throws Exception {
        admin.add("opaque-ab", Optional.of("s3cret"), false, c -> c.tokenFormat(TokenFormat.OPAQUE));
        admin.add("jwt-ab", Optional.of("s3cret"), false, c -> c.signingAlg(SigningAlg.ES256));

        String opaque = token(a.issuer(), "opaque-ab", "s3cret");
        try (Database third = pg.open(1)) {  // what node B's token store reads: the shared table
            TokenRecord row = new JdbcTokenStore(third).findByHash(Tokens.hash(opaque)).orElseThrow();
            assertEquals("opaque-ab", row.clientId().value());
        }

        String jwt = token(a.issuer(), "jwt-ab", "s3cret");
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier((header, ctx) -> { });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                com.nimbusds.jose.JWSAlgorithm.ES256, new ImmutableJWKSet<>(JWKSet.parse(Http.get(b.issuer() + "/jwks").body()))));
        JWTClaimsSet claims = processor.process(jwt, null);
        assertEquals("jwt-ab", claims.getSubject());
    }

    @Test
    void clientWhenAddedChangedAndRemovedThenBothNodesFollowWithoutRestart() {
        assertEquals(401, Http.clientCredentials(a.issuer(), "late", "first").statusCode());
        admin.add("late", Optional.of("first"), false, c -> { });
        token(a.issuer(), "late", "first");
        token(b.issuer(), "late", "first");

        admin.update("late", Optional.of("second"), c -> { });
        for (Gatehouse node : List.of(a, b)) {
            assertEquals(401, Http.clientCredentials(node.issuer(), "late", "first").statusCode(), "old secret on " + node.issuer());
            token(node.issuer(), "late", "second");
        }

        admin.remove("late");
        for (Gatehouse node : List.of(a, b)) {
            HttpResponse<String> r = Http.clientCredentials(node.issuer(), "late", "second");
            assertEquals(401, r.statusCode());
            JsonNode body = TestServer.json(r);
            assertEquals("invalid_client", body.get("error").asText());
        }
    }

    @Test
    void refreshWhenTwentyParallelUsesSplitOverBothNodesThenExactlyOneSuccessAndFamilyRevoked() throws Exception {
        admin.add("rt-ab", Optional.of("s3cret"), false, c -> c.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE,
                GrantType.REFRESH_TOKEN)).redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true)
                .scope(Scope.of("api")));
        OidcFlow.addUser(pg.db, "rita", "correct horse");
        OidcFlow browser = new OidcFlow(a.issuer(), a.issuer());
        String code = browser.code(browser.authorizeAndApprove(authz("rt-ab", "scope", "openid api"), "rita", "correct horse"),
                Optional.of("st-1"));
        JsonNode first = tokenOk(Http.form(a.issuer() + "/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT), basic("rt-ab", "s3cret")));
        String token = first.get("refresh_token").asText();
        List<HttpResponse<String>> results = StoreContract.race(20, i -> Http.form((i % 2 == 0 ? a : b).issuer()
                + "/oauth2/token", q("grant_type", "refresh_token", "refresh_token", token), basic("rt-ab", "s3cret")));
        List<HttpResponse<String>> ok = new ArrayList<>();
        int invalid = 0;
        for (HttpResponse<String> r : results) {
            if (r.statusCode() == 200) ok.add(r);
            else if (r.statusCode() == 400 && json(r).get("error").asText().equals("invalid_grant")) invalid++;
        }
        assertEquals(1, ok.size(), results.toString());
        assertEquals(19, invalid);
        // The reuse revoked the family: the refresh token the winner got is dead too.
        String next = json(ok.get(0)).get("refresh_token").asText();
        assertEquals(400, Http.form(b.issuer() + "/oauth2/token", q("grant_type", "refresh_token", "refresh_token", next),
                basic("rt-ab", "s3cret")).statusCode());
    }
}
