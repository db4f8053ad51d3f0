package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static io.gatehouse.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The acr claim (a configured value for password sign-in, never a requested one) and the structured address claim
 * (OIDC Core §5.1.1) over real HTTP, on a server configured with its own acr-password.
 */
class AcrAndAddressTest {
    static final String ACR = "urn:example:loa:password";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withAcr(new Acr(ACR)));
        OidcFlow.users(server).add("carol", "correct horse", new UserAdmin.Changes(null, null, "Carol", Map.of(),
                UserAdmin.address("{\"street_address\":\"1 Main St\\nApt 2\",\"locality\":\"Springfield\","
                        + "\"postal_code\":\"12345\",\"country\":\"US\"}")));
        server.addClient("rp", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> authorize(OidcFlow browser, String... extra) {
        HttpResponse<String> r = browser.authorize(authz("rp", extra));
        return r.statusCode() == 200 ? browser.follow(browser.login(r, "carol", "correct horse")) : r;
    }

    static JsonNode tokens(String... extra) {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(authorize(browser, extra), Optional.of("st-1"));
        return tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT),
                basic("rp", "s3cret")));
    }

    static JWTClaimsSet idToken(JsonNode tokens) throws Exception {
        return OidcFlow.verify(server, tokens.get("id_token").asText(), JOSEObjectType.JWT);
    }

    @Test
    void idTokenWhenPasswordSignInThenConfiguredAcrAndNeverTheRequestedOne() throws Exception {
        assertEquals(ACR, idToken(tokens()).getStringClaim("acr"));
        assertEquals(ACR, idToken(tokens("acr_values", "urn:example:loa:mfa urn:other")).getStringClaim("acr"));
        assertEquals(ACR, idToken(tokens("claims", "{\"id_token\":{\"acr\":{\"values\":[\"urn:example:loa:mfa\"]}}}"))
                .getStringClaim("acr"), "a voluntary acr request states what happened");
    }

    @Test
    void authorizeWhenEssentialAcrThatCannotBeMetThenUnmetAuthenticationRequirements() throws Exception {
        for (String claims : List.of("{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:example:loa:mfa\"]}}}",
                "{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"urn:example:loa:mfa\"}}}")) {
            HttpResponse<String> r = new OidcFlow(server).authorize(authz("rp", "claims", claims));
            assertEquals(302, r.statusCode(), r.body());
            Map<String, String> p = OidcFlow.redirectParams(r);
            assertEquals("unmet_authentication_requirements", p.get("error"), claims);
            assertEquals("st-1", p.get("state"));
            assertEquals(server.base, p.get("iss"));
        }
        JsonNode met = tokens("claims", "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:x\",\"" + ACR + "\"]}}}");
        assertEquals(ACR, idToken(met).getStringClaim("acr"));
    }

    @Test
    void userinfoWhenAddressScopeThenTheAddressObject() throws Exception {
        JsonNode t = tokens("scope", "openid address");
        HttpResponse<String> r = server.get("/oauth2/userinfo", "Authorization", "Bearer " + t.get("access_token").asText());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode address = json(r).get("address");
        assertTrue(address.isObject(), r.body());
        assertEquals("{\"street_address\":\"1 Main St\\nApt 2\",\"locality\":\"Springfield\",\"postal_code\":\"12345\","
                + "\"country\":\"US\"}", address.toString());
        assertNull(idToken(t).getClaim("address"), "§5.4: from userinfo, not in the ID token");
    }

    @Test
    void idTokenWhenClaimsAsksForAddressThenTheAddressObject() throws Exception {
        Object address = idToken(tokens("scope", "openid", "claims", "{\"id_token\":{\"address\":null}}")).getClaim("address");
        assertEquals(Map.of("street_address", "1 Main St\nApt 2", "locality", "Springfield", "postal_code", "12345",
                "country", "US"), address);
    }

    @Test
    void discoveryWhenAcrConfiguredThenAcrValuesSupported() {
        JsonNode m = json(server.get("/.well-known/openid-configuration"));
        assertEquals("[\"" + ACR + "\"]", m.get("acr_values_supported").toString());
        assertTrue(m.get("claims_supported").toString().contains("\"acr\""));
    }
}
