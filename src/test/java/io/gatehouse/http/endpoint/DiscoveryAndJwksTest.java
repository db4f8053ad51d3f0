package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

class DiscoveryAndJwksTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void discoveryWhenRequestedThenSameDocumentAtBothWellKnownPaths() {
        HttpResponse<String> oidc = server.get("/.well-known/openid-configuration");
        HttpResponse<String> rfc8414 = server.get("/.well-known/oauth-authorization-server");
        assertEquals(200, oidc.statusCode());
        assertEquals(oidc.body(), rfc8414.body());
        assertTrue(oidc.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode d = json(oidc);
        assertEquals(server.base, d.get("issuer").asText());
        assertEquals(server.base + "/oauth2/token", d.get("token_endpoint").asText());
        assertEquals(server.base + "/jwks", d.get("jwks_uri").asText());
        assertTrue(contains(d.get("grant_types_supported"), "client_credentials"));
        assertTrue(contains(d.get("token_endpoint_auth_methods_supported"), "client_secret_basic"));
        assertTrue(contains(d.get("token_endpoint_auth_methods_supported"), "client_secret_post"));
    }

    @Test
    void discoveryAdvertisesOnlyEndpointsThatAnswer() {
        JsonNode d = json(server.get("/.well-known/openid-configuration"));
        for (var it = d.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().endsWith("_endpoint") || e.getKey().endsWith("_uri")) {
                String path = e.getValue().asText().substring(server.base.length());
                int status = server.get(path).statusCode();
                assertNotEquals(404, status, e.getKey() + " " + path);
            }
        }
    }

    @Test
    void jwksWhenRequestedThenPublicKeysOnlyOnePerAlgorithm() {
        HttpResponse<String> r = server.get("/jwks");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/jwk-set+json"));
        JsonNode keys = json(r).get("keys");
        Set<String> algs = new HashSet<>();
        for (JsonNode k : keys) {
            algs.add(k.get("alg").asText());
            assertEquals("sig", k.get("use").asText());
            for (String priv : new String[]{"d", "p", "q", "dp", "dq", "qi"}) assertFalse(k.has(priv), priv);
            assertFalse(k.get("kid").asText().isEmpty());
        }
        assertEquals(Set.of("RS256", "ES256", "PS256", "EdDSA"), algs);
    }

    @Test
    void jwksWhenRequestedThenEveryKeyHasSelfSignedCertificateConsistentWithIt() throws Exception {
        for (java.security.cert.X509Certificate cert : io.gatehouse.testing.JwksCertificates.assertConsistent(server.get("/jwks").body())) {
            cert.verify(cert.getPublicKey());  // self-signed with the key itself
            assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
            assertTrue(cert.getSubjectX500Principal().getName().startsWith("CN="), cert.getSubjectX500Principal().getName());
            assertEquals(-1, cert.getBasicConstraints(), "not a CA");
            assertTrue(cert.getKeyUsage()[0], "digitalSignature");
            assertEquals(java.time.Instant.parse("9999-12-31T23:59:59Z"), cert.getNotAfter().toInstant());
            cert.checkValidity();
        }
    }

    @Test
    void unknownPathThen404Json() {
        HttpResponse<String> r = server.get("/nope");
        assertEquals(404, r.statusCode());
        assertEquals("{\"error\":\"not_found\",\"error_description\":\"No such endpoint\"}", r.body());
    }

    static boolean contains(JsonNode arr, String v) {
        for (JsonNode n : arr) if (n.asText().equals(v)) return true;
        return false;
    }
}
