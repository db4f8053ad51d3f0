package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.RequestObjects;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.RequestObjects.RP;
import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/** Request objects by value at /oauth2/authorize over real HTTP (OIDC Core §6, RFC 9101). */
class RequestObjectTest {
    static final String OTHER_REDIRECT = "https://app.example/other";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        OidcFlow.addUser(server, "alice", "correct horse");
        // Two redirect URIs: a request that names none has nowhere to be redirected to.
        server.addClient("jar", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).scope(Scope.of("api"))
                .redirectUris(List.of(REDIRECT, OTHER_REDIRECT)).jwks(RP.jwks()));
        server.addClient("unsigned", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).firstParty(true)
                .redirectUris(List.of(REDIRECT)).requestObjectSigningAlg(RequestObjectSigningAlg.NONE));
        server.addClient("nokeys", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).firstParty(true)
                .redirectUris(List.of(REDIRECT)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The request object's own parameters, for {@code client}: unlike the query's in every value that may differ. */
    static Map<String, Object> claims(String client, String... extra) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", client);
        c.put("aud", server.base);
        c.put("client_id", client);
        c.put("exp", Instant.now().getEpochSecond() + 300);
        c.put("iat", Instant.now().getEpochSecond());
        c.put("response_type", "code");
        c.put("redirect_uri", REDIRECT);
        c.put("scope", "openid email");
        c.put("state", "object-state");
        c.put("nonce", "object-nonce");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) c.remove(extra[i]); else c.put(extra[i], extra[i + 1]);
        }
        return c;
    }

    /** What OIDC Core §6.1 has the query carry besides the object: values the object must override. */
    static String query(String client, String requestObject, String... extra) {
        List<String> kv = new ArrayList<>(List.of("response_type", "code", "client_id", client, "scope", "openid profile",
                "state", "query-state", "nonce", "query-nonce", "redirect_uri", OTHER_REDIRECT, "request", requestObject));
        kv.addAll(java.util.Arrays.asList(extra));
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
        m.values().removeIf(v -> v == null);
        return OidcFlow.encode(m);
    }

    static Map<String, String> errorRedirect(HttpResponse<String> r, String redirectUri, String error) {
        assertEquals(302, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(redirectUri + "?"),
                r.headers().firstValue("Location").orElseThrow());
        Map<String, String> p = OidcFlow.redirectParams(r);
        assertEquals(error, p.get("error"), p.toString());
        assertEquals(server.base, p.get("iss"));
        return p;
    }

    static void assertErrorPage(HttpResponse<String> r, String what) {
        assertEquals(400, r.statusCode(), what + ": " + r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), what + " must not redirect");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), what);
    }

    @Test
    void authorizeWhenSignedRequestObjectThenCodeFlowCompletesWithTheObjectsParameters() throws Exception {
        String[] pkce = OidcFlow.pkce();
        String jwt = RP.sign(JWSAlgorithm.PS256, claims("jar", "code_challenge", pkce[1], "code_challenge_method", "S256"));
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> login = browser.authorize(query("jar", jwt));
        assertEquals(200, login.statusCode(), login.body());
        String continued = OidcFlow.hidden(login.body()).get("q");
        assertFalse(continued.contains("request="), "the page continues with the verified parameters, not the object");
        assertTrue(continued.contains("state=object-state"), continued);

        HttpResponse<String> redirect = browser.authorizeAndApprove(query("jar", jwt), "alice", "correct horse");
        assertTrue(redirect.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?code="),
                "the object's redirect_uri, not the query's");
        String code = browser.code(redirect, Optional.of("object-state"));
        JsonNode tokens = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", pkce[0]), basic("jar", "s3cret")));
        assertEquals("openid email", tokens.get("scope").asText(), "the object's scope");
        JWTClaimsSet id = OidcFlow.verify(server, tokens.get("id_token").asText(), JOSEObjectType.JWT);
        assertEquals("object-nonce", id.getStringClaim("nonce"));
    }

    @Test
    void authorizeWhenRequestObjectCarriesClaimsAsAnObjectThenTheIdTokenHasThem() throws Exception {
        String[] pkce = OidcFlow.pkce();
        Map<String, Object> c = claims("jar", "scope", "openid", "code_challenge", pkce[1], "code_challenge_method", "S256");
        c.put("claims", Map.of("id_token", Map.of("email", Map.of("essential", true))));  // a JSON object, not text
        String jwt = RP.sign(JWSAlgorithm.ES256, c);
        HttpResponse<String> redirect = new OidcFlow(server).authorizeAndApprove(query("jar", jwt), "alice", "correct horse");
        String code = OidcFlow.redirectParams(redirect).get("code");
        assertNotNull(code, redirect.headers().firstValue("Location").orElse(""));
        JsonNode tokens = tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", pkce[0]), basic("jar", "s3cret")));
        JWTClaimsSet id = OidcFlow.verify(server, tokens.get("id_token").asText(), JOSEObjectType.JWT);
        assertEquals("alice@example.com", id.getStringClaim("email"), "asked for in the object's claims, scope openid only");
        assertNull(id.getClaim("name"), "not asked for");
    }

    @Test
    void authorizeWhenEachSigningAlgorithmThenAccepted() {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA)) {
            HttpResponse<String> r = server.get("/oauth2/authorize?" + query("jar", RP.sign(alg, claims("jar"))));
            assertEquals(200, r.statusCode(), alg + ": " + r.body());
            assertTrue(r.body().contains("name=\"password\""), alg.getName());
        }
    }

    @Test
    void authorizeWhenUnsignedObjectFromAClientRegisteredForNoneThenCode() {
        String jwt = RequestObjects.unsigned(claims("unsigned"));
        HttpResponse<String> r = new OidcFlow(server).authorizeAndApprove(query("unsigned", jwt, "redirect_uri", null),
                "alice", "correct horse");
        assertNotNull(OidcFlow.redirectParams(r).get("code"));
        assertEquals("object-state", OidcFlow.redirectParams(r).get("state"));
    }

    @Test
    void authorizeWhenTamperedAfterSigningThenInvalidRequestObjectToTheQuerysRedirectUri() {
        String jwt = RequestObjects.tampered(RP.sign(JWSAlgorithm.RS256, claims("jar")), claims("jar", "scope", "openid api"));
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + query("jar", jwt)), OTHER_REDIRECT,
                "invalid_request_object");
        assertEquals("The request object's signature is invalid", p.get("error_description"));
        assertEquals("query-state", p.get("state"), "the object cannot be trusted: the query's state is echoed");
    }

    @Test
    void authorizeWhenRejectedObjectsThenInvalidRequestObject() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("alg none, client not registered for it", RequestObjects.unsigned(claims("jar")));
        cases.put("client_id of another client", RP.sign(JWSAlgorithm.RS256, claims("jar", "client_id", "unsigned")));
        cases.put("expired", RP.sign(JWSAlgorithm.RS256, withExp(claims("jar"), now - 120)));
        cases.put("signed by another key", RequestObjects.OTHER.sign(JWSAlgorithm.RS256, claims("jar")));
        cases.put("aud another server", RP.sign(JWSAlgorithm.RS256, claims("jar", "aud", "https://other.example")));
        cases.put("malformed", "eyJhbGciOiJSUzI1NiJ9.not-json.sig");
        cases.put("response_type differs from the query's", RP.sign(JWSAlgorithm.RS256, claims("jar", "response_type", "token")));
        cases.put("encrypted", encrypted(claims("jar")));
        cases.forEach((what, jwt) -> {
            Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + query("jar", jwt)), OTHER_REDIRECT,
                    "invalid_request_object");
            assertEquals("query-state", p.get("state"), what);
        });
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + query("nokeys",
                RP.sign(JWSAlgorithm.RS256, claims("nokeys")), "redirect_uri", REDIRECT)), REDIRECT, "invalid_request_object");
        assertEquals("The client has no registered keys to verify request objects with", p.get("error_description"));
    }

    @Test
    void authorizeWhenRequestObjectOver16KbThenInvalidRequestObject() {
        String jwt = RP.sign(JWSAlgorithm.RS256, claims("jar", "login_hint", "x".repeat(17_000)));
        HttpResponse<String> r = server.form("/oauth2/authorize", query("jar", jwt));
        assertTrue(errorRedirect(r, OTHER_REDIRECT, "invalid_request_object").get("error_description").contains("16 KB"));
    }

    @Test
    void authorizeWhenRequestUriThenRequestUriNotSupported() {
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + OidcFlow.authz("jar",
                "request_uri", "https://app.example/request.jwt")), REDIRECT, "request_uri_not_supported");
        assertEquals("st-1", p.get("state"));
        errorRedirect(server.get("/oauth2/authorize?" + query("jar", RP.sign(JWSAlgorithm.RS256, claims("jar")),
                "request_uri", "https://app.example/r")), OTHER_REDIRECT, "invalid_request");
    }

    @Test
    void authorizeWhenValidObjectNamesAnUnregisteredRedirectUriThenErrorPageNeverRedirect() {
        for (String uri : List.of("https://evil.example/cb", REDIRECT + "/", "https://app.example/cb?x=1")) {
            String jwt = RP.sign(JWSAlgorithm.RS256, claims("jar", "redirect_uri", uri));
            assertErrorPage(server.get("/oauth2/authorize?" + query("jar", jwt)), uri);
            assertErrorPage(server.get("/oauth2/authorize?" + query("jar", jwt, "redirect_uri", null)), uri + " (query without one)");
        }
    }

    @Test
    void authorizeWhenBadObjectAndNoTrustedRedirectUriThenErrorPage() {
        String bad = RequestObjects.unsigned(claims("jar"));
        // the query names none, and the client has two: the object's own redirect_uri is not trusted
        assertErrorPage(server.get("/oauth2/authorize?" + query("jar", bad, "redirect_uri", null)), "no redirect_uri");
        assertErrorPage(server.get("/oauth2/authorize?" + query("jar", bad, "redirect_uri", "https://evil.example/cb")),
                "unregistered redirect_uri in the query");
        assertErrorPage(server.get("/oauth2/authorize?" + query("jar", bad, "client_id", "ghost")), "unknown client");
        assertErrorPage(server.get("/oauth2/authorize?" + query("jar", bad, "client_id", null)), "no client_id");
    }

    @Test
    void authorizeWhenValidObjectWithBadParametersThenErrorToTheObjectsRedirectUriWithItsState() {
        String jwt = RP.sign(JWSAlgorithm.RS256, claims("jar", "scope", "openid admin"));
        Map<String, String> p = errorRedirect(server.get("/oauth2/authorize?" + query("jar", jwt)), REDIRECT, "invalid_scope");
        assertEquals("object-state", p.get("state"));
        String noType = RP.sign(JWSAlgorithm.RS256, claims("jar", "response_type", null));
        assertEquals("object-state", errorRedirect(server.get("/oauth2/authorize?" + query("jar", noType, "response_type", null)),
                REDIRECT, "invalid_request").get("state"), "no response_type in the object nor the query");
        assertEquals(200, server.get("/oauth2/authorize?" + query("jar", noType)).statusCode(),
                "response_type from the query when the object has none");
    }

    @Test
    void discoveryAdvertisesRequestObjectsByValueOnly() {
        JsonNode d = TestServer.json(server.get("/.well-known/openid-configuration"));
        assertTrue(d.get("request_parameter_supported").asBoolean());
        assertTrue(d.get("request_uri_parameter_supported").isBoolean());
        assertFalse(d.get("request_uri_parameter_supported").asBoolean());
        List<String> algs = new ArrayList<>();
        d.get("request_object_signing_alg_values_supported").forEach(a -> algs.add(a.asText()));
        assertEquals(List.of("RS256", "PS256", "ES256", "EdDSA", "none"), algs);
    }

    static Map<String, Object> withExp(Map<String, Object> c, long exp) {
        c.put("exp", exp);
        c.put("iat", exp - 300);
        return c;
    }

    static String encrypted(Map<String, Object> claims) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM), new Payload(claims));
            jwe.encrypt(new RSAEncrypter(RP.rsa.toRSAPublicKey()));
            return jwe.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
