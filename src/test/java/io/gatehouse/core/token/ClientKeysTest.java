package io.gatehouse.core.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.testing.RequestObjects;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.gatehouse.testing.RequestObjects.RP;
import static org.junit.jupiter.api.Assertions.*;

/** {@link ClientKeys}: which JWK Sets a client may register, and which keys verify which algorithm. */
class ClientKeysTest {
    static final java.util.Set<GrantType> CODE = java.util.Set.of(GrantType.AUTHORIZATION_CODE);

    static String refused(String jwks) {
        return assertThrows(IllegalArgumentException.class, () -> ClientKeys.parse(jwks)).getMessage();
    }

    @Test
    void parseWhenPublicRsaEcAndEd25519KeysThenAllKept() {
        List<JWK> keys = ClientKeys.parse(RP.jwks());
        assertEquals(List.of("rp-rsa", "rp-ec", "rp-ed"), keys.stream().map(JWK::getKeyID).toList());
        assertTrue(keys.stream().noneMatch(JWK::isPrivate));
    }

    @Test
    void parseWhenPrivateOrSecretKeyThenRefusedNamingTheMember() {
        assertEquals("key 1 of the JWK Set has the private or secret member \"d\": register public keys only",
                refused(RP.privateJwks()));
        assertTrue(refused(RequestObjects.jwks(RP.ec).replace("\"kty\"", "\"d\":\"AAAA\",\"kty\"")).contains("\"d\""));
        String rsaWithPrimes = RequestObjects.jwks(RP.rsa).replace("\"kty\"", "\"p\":\"AAAA\",\"q\":\"AAAA\",\"kty\"");
        assertTrue(refused(rsaWithPrimes).contains("private or secret member \"p\""), "primes without d are private too");
    }

    @Test
    void parseWhenSymmetricKeyThenRefused() throws Exception {
        OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).generate();
        assertTrue(refused("{\"keys\":[" + oct.toJSONString() + "]}").contains("member \"k\""));
    }

    @Test
    void parseWhenWeakRsaOrOtherCurveOrUnknownTypeThenRefused() throws Exception {
        RSAKey small = new RSAKeyGenerator(1024, true).generate();
        assertTrue(refused(RequestObjects.jwks(small)).contains("1024 bits"));
        assertTrue(refused(RequestObjects.jwks(new ECKeyGenerator(Curve.P_384).generate())).contains("only P-256"));
        assertTrue(refused("{\"keys\":[{\"kty\":\"XYZ\",\"x\":\"AA\"}]}").contains("not a usable JWK"));
    }

    @Test
    void parseWhenEncryptionKeyOrForeignAlgThenRefused() throws Exception {
        JWK enc = new RSAKey.Builder(RP.rsa.toRSAPublicKey()).keyUse(KeyUse.ENCRYPTION).build();
        assertTrue(refused(RequestObjects.jwks(enc)).contains("not for signatures"));
        JWK hs = new RSAKey.Builder(RP.rsa.toRSAPublicKey()).algorithm(JWSAlgorithm.HS256).build();
        assertTrue(refused(RequestObjects.jwks(hs)).contains("meant for alg HS256"));
        JWK ecAsRs = new com.nimbusds.jose.jwk.ECKey.Builder(RP.ec.toPublicJWK()).algorithm(JWSAlgorithm.RS256).build();
        assertTrue(refused(RequestObjects.jwks(ecAsRs)).contains("meant for alg RS256"));
    }

    @Test
    void parseWhenNotAJwkSetOrEmptyOrTooManyOrTooLongOrKidRepeatedThenRefused() {
        assertNotNull(refused("[]"));
        assertTrue(refused("{\"keys\":").contains("not a JWK Set"));
        assertTrue(refused("{\"keys\":\"x\"}").contains("not a JWK Set"));
        assertEquals("the JWK Set has no keys", refused("{\"keys\":[]}"));
        assertEquals("the JWK Set has no keys", refused("{}"));
        assertTrue(refused("{\"keys\":[1]}").contains("not a JSON object"));
        String one = RequestObjects.jwks(RP.ec).replaceAll("^\\{\"keys\":\\[|]}$", "");
        assertTrue(refused("{\"keys\":[" + String.join(",", java.util.Collections.nCopies(21, one)) + "]}").contains("more than 20"));
        assertTrue(refused("{\"keys\":[" + one + "," + one + "]}").contains("repeats the kid"));
        assertTrue(refused(" ".repeat(Client.MAX_JWKS_LENGTH + 1)).contains("1 to 32768 characters"));
    }

    @Test
    void checkWhenRegisteredAlgHasNoFittingKeyThenRefused() {
        Client.Builder b = Client.builder(new ClientId("rp")).grantTypes(CODE).jwks(RequestObjects.jwks(RP.rsa));
        ClientKeys.check(b.requestObjectSigningAlg(RequestObjectSigningAlg.PS256).build());
        ClientKeys.check(b.requestObjectSigningAlg(RequestObjectSigningAlg.NONE).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientKeys.check(b.requestObjectSigningAlg(RequestObjectSigningAlg.ES256).build()));
        assertEquals("no key of the JWK Set can verify ES256", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientKeys.check(Client.builder(new ClientId("x"))
                .grantTypes(CODE).jwks(RP.privateJwks()).build()));
    }

    @Test
    void clientWhenSignedAlgWithoutKeysThenRefusedByTheModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Client.builder(new ClientId("rp"))
                .grantTypes(CODE).requestObjectSigningAlg(RequestObjectSigningAlg.RS256).build());
        assertTrue(e.getMessage().contains("needs the client's public keys"), e.getMessage());
        assertDoesNotThrow(() -> Client.builder(new ClientId("rp")).grantTypes(CODE)
                .requestObjectSigningAlg(RequestObjectSigningAlg.NONE).build());
    }

    @Test
    void verifiersWhenKidOrAlgGivenThenOnlyFittingKeys() throws Exception {
        List<JWK> keys = ClientKeys.parse(RP.jwks());
        assertEquals(1, ClientKeys.verifiers(keys, RequestObjectSigningAlg.RS256, Optional.empty()).size());
        assertEquals(1, ClientKeys.verifiers(keys, RequestObjectSigningAlg.RS256, Optional.of("rp-rsa")).size());
        assertEquals(0, ClientKeys.verifiers(keys, RequestObjectSigningAlg.RS256, Optional.of("rp-ec")).size());
        assertEquals(1, ClientKeys.verifiers(keys, RequestObjectSigningAlg.EdDSA, Optional.empty()).size());
        assertEquals(0, ClientKeys.verifiers(keys, RequestObjectSigningAlg.NONE, Optional.empty()).size());
        JWK psOnly = new RSAKey.Builder(RP.rsa.toRSAPublicKey()).keyID("ps").algorithm(JWSAlgorithm.PS256).build();
        List<JWK> narrowed = ClientKeys.parse(RequestObjects.jwks(psOnly));
        assertEquals(0, ClientKeys.verifiers(narrowed, RequestObjectSigningAlg.RS256, Optional.empty()).size(),
                "a key's own alg narrows what it verifies");
        assertEquals(1, ClientKeys.verifiers(narrowed, RequestObjectSigningAlg.PS256, Optional.empty()).size());
    }
}
