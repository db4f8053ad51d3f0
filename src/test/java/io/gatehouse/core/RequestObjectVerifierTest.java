package io.gatehouse.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.gatehouse.testing.RequestObjects.OTHER;
import static io.gatehouse.testing.RequestObjects.RP;
import static org.junit.jupiter.api.Assertions.*;

/** {@link RequestObjectVerifier}: every reason a request object is refused, and what an accepted one yields. */
class RequestObjectVerifierTest {
    static final String ISSUER = "https://op.example";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    final RequestObjectVerifier verifier = new RequestObjectVerifier(ISSUER, Clock.fixed(NOW, ZoneOffset.UTC));

    static Client client(Consumer<Client.Builder> settings) {
        Client.Builder b = Client.builder(new ClientId("rp")).grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of("https://rp.example/cb")).jwks(RP.jwks());
        settings.accept(b);
        return b.build();
    }

    static final Client ANY_ALG = client(b -> { });

    /** A full request object: every JWT claim and a few parameters, including a number and an object. */
    static Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "rp");
        c.put("aud", ISSUER);
        c.put("client_id", "rp");
        c.put("exp", NOW.getEpochSecond() + 300);
        c.put("iat", NOW.getEpochSecond());
        c.put("nbf", NOW.getEpochSecond());
        c.put("jti", "j-1");
        c.put("response_type", "code");
        c.put("redirect_uri", "https://rp.example/cb");
        c.put("scope", "openid email");
        c.put("state", "st");
        c.put("nonce", "n");
        c.put("max_age", 60);
        c.put("claims", Map.of("userinfo", Map.of("name", Map.of("essential", true))));
        return c;
    }

    static Map<String, Object> claims(String name, Object value) {
        Map<String, Object> c = claims();
        if (value == null) c.remove(name); else c.put(name, value);
        return c;
    }

    String refused(Client client, String jwt) {
        OAuthException e = assertThrows(OAuthException.class, () -> verifier.verify(client, jwt));
        OAuthError.InvalidRequestObject error = assertInstanceOf(OAuthError.InvalidRequestObject.class, e.error());
        assertEquals("invalid_request_object", error.code());
        if (jwt.length() > 20) assertFalse(error.description().contains(jwt.substring(0, 20)), "never echoes the object");
        return error.description();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void verifyWhenSignedWithARegisteredKeyThenItsParametersWithoutJwtClaims(String alg) throws Exception {
        Map<String, String> p = verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.parse(alg), claims()));
        assertEquals(Set.of("client_id", "response_type", "redirect_uri", "scope", "state", "nonce", "max_age", "claims"),
                p.keySet(), "iss, aud, exp, iat, nbf, jti are not parameters");
        assertEquals("rp", p.get("client_id"));
        assertEquals("openid email", p.get("scope"));
        assertEquals("60", p.get("max_age"), "a number becomes its text");
        assertEquals(new ObjectMapper().readTree("{\"userinfo\":{\"name\":{\"essential\":true}}}"),
                new ObjectMapper().readTree(p.get("claims")), "an object becomes its JSON text");
    }

    @Test
    void verifyWhenRegisteredAlgIsUsedThenAccepted() {
        Client es = client(b -> b.requestObjectSigningAlg(RequestObjectSigningAlg.ES256));
        assertEquals("st", verifier.verify(es, RP.sign(JWSAlgorithm.ES256, claims())).get("state"));
    }

    @Test
    void verifyWhenOnlyClientIdAndNoKidThenEveryKeyTriedAndAccepted() {
        Map<String, Object> c = new LinkedHashMap<>(Map.of("client_id", "rp", "scope", "openid"));
        assertEquals(Map.of("client_id", "rp", "scope", "openid"),
                verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, c, h -> h.keyID(null))));
    }

    @Test
    void verifyWhenAudIsAnArrayWithTheIssuerOrTypIsARequestObjectsThenAccepted() {
        assertEquals("st", verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("aud", List.of("x", ISSUER)))).get("state"));
        assertEquals("st", verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(),
                h -> h.type(new JOSEObjectType("oauth-authz-req+jwt")))).get("state"));
        assertEquals("st", verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(), h -> h.type(JOSEObjectType.JWT))).get("state"));
    }

    @Test
    void verifyWhenExpiredWithinTheSkewThenAccepted() {
        assertEquals("st", verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("exp", NOW.getEpochSecond() - 29))).get("state"));
        assertEquals("st", verifier.verify(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("nbf", NOW.getEpochSecond() + 29))).get("state"));
    }

    @Test
    void verifyWhenUnsignedAndClientRegisteredForNoneThenAccepted() {
        Client none = client(b -> b.jwks(null).requestObjectSigningAlg(RequestObjectSigningAlg.NONE));
        assertEquals("st", verifier.verify(none, io.gatehouse.testing.RequestObjects.unsigned(claims())).get("state"));
    }

    @Test
    void verifyWhenUnsignedAndClientNotRegisteredForNoneThenRefused() {
        String jwt = io.gatehouse.testing.RequestObjects.unsigned(claims());
        assertTrue(refused(ANY_ALG, jwt).contains("unsigned"));
        assertTrue(refused(client(b -> b.requestObjectSigningAlg(RequestObjectSigningAlg.RS256)), jwt).contains("unsigned"));
        assertTrue(refused(client(b -> b.jwks(null)), jwt).contains("unsigned"));
    }

    @Test
    void verifyWhenSignedButClientRegisteredForNoneOrAnotherAlgThenRefused() {
        Client none = client(b -> b.requestObjectSigningAlg(RequestObjectSigningAlg.NONE));
        assertTrue(refused(none, RP.sign(JWSAlgorithm.RS256, claims())).contains("registered request_object_signing_alg"));
        Client rs = client(b -> b.requestObjectSigningAlg(RequestObjectSigningAlg.RS256));
        assertTrue(refused(rs, RP.sign(JWSAlgorithm.PS256, claims())).contains("registered request_object_signing_alg"));
        assertTrue(refused(rs, RP.sign(JWSAlgorithm.ES256, claims())).contains("registered request_object_signing_alg"));
    }

    @Test
    void verifyWhenTamperedAfterSigningThenSignatureInvalid() {
        String jws = RP.sign(JWSAlgorithm.RS256, claims());
        String tampered = io.gatehouse.testing.RequestObjects.tampered(jws, claims("scope", "openid admin"));
        assertEquals("The request object's signature is invalid", refused(ANY_ALG, tampered));
    }

    @Test
    void verifyWhenSignedByAnotherKeyWithARegisteredKidThenSignatureInvalid() {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA)) {
            assertEquals("The request object's signature is invalid", refused(ANY_ALG, OTHER.sign(alg, claims())), alg.getName());
        }
    }

    @Test
    void verifyWhenHeaderCarriesTheSignersOwnKeyThenThatKeyIsNotTrusted() {
        String jwt = OTHER.sign(JWSAlgorithm.RS256, claims(), h -> h.keyID(null).jwk(OTHER.rsa.toPublicJWK()));
        assertEquals("The request object's signature is invalid", refused(ANY_ALG, jwt));
    }

    @Test
    void verifyWhenKidUnknownThenNoKeyMatches() {
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(), h -> h.keyID("nope"))).contains("No registered key"));
        // the kid of the EC key with an RSA algorithm: no key fits both
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(), h -> h.keyID("rp-ec"))).contains("No registered key"));
    }

    @Test
    void verifyWhenSignedButClientHasNoKeysThenRefused() {
        assertEquals("The client has no registered keys to verify request objects with",
                refused(client(b -> b.jwks(null)), RP.sign(JWSAlgorithm.RS256, claims())));
    }

    @Test
    void verifyWhenHmacSignedThenAlgNotSupported() throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claims()));
        jws.sign(new MACSigner(new byte[32]));
        assertTrue(refused(ANY_ALG, jws.serialize()).contains("alg is not supported"));
    }

    @Test
    void verifyWhenEncryptedThenRefused() throws Exception {
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM), new Payload(claims()));
        jwe.encrypt(new RSAEncrypter(RP.rsa.toRSAPublicKey()));
        assertEquals("Encrypted request objects are not supported", refused(ANY_ALG, jwe.serialize()));
    }

    @Test
    void verifyWhenClientIdMissingOrOtherThenRefused() {
        String msg = "The request object's client_id is not the client_id of the request";
        assertEquals(msg, refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("client_id", "other"))));
        assertEquals(msg, refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("client_id", null))));
        assertEquals(msg, refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("client_id", List.of("rp")))));
    }

    @Test
    void verifyWhenIssOrAudWrongThenRefused() {
        assertEquals("The request object's iss is not the client", refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("iss", "other"))));
        String aud = "The request object's aud does not name this server";
        assertEquals(aud, refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("aud", "https://other.example"))));
        assertEquals(aud, refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("aud", List.of()))));
    }

    @Test
    void verifyWhenExpiredOrNotYetValidThenRefused() {
        assertEquals("The request object has expired",
                refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("exp", NOW.getEpochSecond() - 30))));
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("nbf", NOW.getEpochSecond() + 31))).contains("nbf"));
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("iat", NOW.getEpochSecond() + 31))).contains("iat"));
        assertEquals("The request object has malformed claims", refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("exp", "soon"))));
    }

    @Test
    void verifyWhenMalformedThenRefused() {
        String notJwt = "The request object is not a well-formed JWT";
        assertEquals(notJwt, refused(ANY_ALG, "not-a-jwt"));
        assertEquals(notJwt, refused(ANY_ALG, "a.b.c"));
        assertEquals(notJwt, refused(ANY_ALG, ""));
        String arrayPayload = RP.sign(JWSAlgorithm.RS256, claims()).split("\\.")[0] + "." + new Payload("[1]").toBase64URL() + ".";
        assertNotNull(refused(ANY_ALG, arrayPayload), "a JWS without its signature");
        Client none = client(b -> b.requestObjectSigningAlg(RequestObjectSigningAlg.NONE));
        String unsignedArray = new com.nimbusds.jose.PlainObject(new Payload("[1]")).serialize();
        assertEquals("The request object's payload is not a JSON object", refused(none, unsignedArray));
    }

    @Test
    void verifyWhenLargerThan16KbThenRefusedBeforeParsing() {
        String big = RP.sign(JWSAlgorithm.RS256, claims("login_hint", "x".repeat(16 * 1024)));
        assertTrue(refused(ANY_ALG, big).contains("larger than 16 KB"));
    }

    @Test
    void verifyWhenTypIsAnotherTokensOrCritHeaderThenRefused() {
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(), h -> h.type(new JOSEObjectType("at+jwt")))).contains("typ"));
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims(), h -> h.customParam("x-crit", 1)
                .criticalParams(Set.of("x-crit")))).contains("critical"));
    }

    @Test
    void verifyWhenObjectRefersToAnotherOrHasControlCharactersThenRefused() {
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("request_uri", "https://x.example/r"))).contains("request_uri"));
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("request", "a.b.c"))).contains("request_uri"));
        assertTrue(refused(ANY_ALG, RP.sign(JWSAlgorithm.RS256, claims("state", "a\nb"))).contains("control characters"));
    }
}
