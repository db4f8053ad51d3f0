package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.User;
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
 * The claims request parameter (OIDC Core §5.5) and the §5.4 rule over real HTTP: the scope's claims come from
 * userinfo, not in the ID token; claims asked for by name come where they were asked for, with the grant, also after
 * refresh-token rotation, for JWT and opaque access tokens; malformed claims values are invalid_request redirects.
 */
class ClaimsRequestTest {
    static TestServer server;
    static User alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        for (String id : List.of("rp", "rp-opaque")) {
            server.addClient(id, "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                    .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true)
                    .tokenFormat(id.equals("rp") ? TokenFormat.JWT : TokenFormat.OPAQUE));
        }
        server.addClient("third", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The code flow as {@code alice}, signed in afresh, then the token response. */
    static JsonNode tokens(String client, String... extra) {
        OidcFlow browser = new OidcFlow(server);
        String code = browser.code(browser.authorizeAndApprove(authz(client, extra), "alice", "correct horse"), Optional.of("st-1"));
        return tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT),
                basic(client, "s3cret")));
    }

    static JWTClaimsSet idToken(JsonNode tokens) throws Exception {
        return OidcFlow.verify(server, tokens.get("id_token").asText(), JOSEObjectType.JWT);
    }

    static JsonNode userinfo(JsonNode tokens) {
        HttpResponse<String> r = server.get("/oauth2/userinfo", "Authorization", "Bearer " + tokens.get("access_token").asText());
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    static Set<String> names(JsonNode o) {
        Set<String> s = new java.util.TreeSet<>();
        o.fieldNames().forEachRemaining(s::add);
        return s;
    }

    /** The error redirect of an authorization request for client rp by a browser that is not signed in. */
    static Map<String, String> errorRedirect(String... extra) {
        HttpResponse<String> r = new OidcFlow(server).authorize(authz("rp", extra));
        assertEquals(302, r.statusCode(), r.body());
        Map<String, String> p = OidcFlow.redirectParams(r);
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"));
        assertEquals("st-1", p.get("state"));
        assertEquals(server.base, p.get("iss"));
        return p;
    }

    @Test
    void idTokenWhenScopeEmailThenNoEmailButUserinfoHasIt() throws Exception {
        JsonNode t = tokens("rp", "scope", "openid email");
        JWTClaimsSet id = idToken(t);
        assertNull(id.getClaim("email"));
        assertNull(id.getClaim("email_verified"));
        assertEquals(Set.of("sub", "email", "email_verified"), names(userinfo(t)));
        assertEquals("alice@example.com", userinfo(t).get("email").asText());
    }

    @Test
    void idTokenWhenClaimsAsksForEmailInIdTokenThenEmailInIdToken() throws Exception {
        JsonNode t = tokens("rp", "scope", "openid email", "claims", "{\"id_token\":{\"email\":null}}");
        JWTClaimsSet id = idToken(t);
        assertEquals("alice@example.com", id.getStringClaim("email"));
        assertNull(id.getClaim("email_verified"), "only what was asked for");
        assertNull(id.getClaim("name"));
    }

    @Test
    void userinfoWhenEssentialNameWithoutProfileScopeThenNameOnly() throws Exception {
        JsonNode t = tokens("rp", "scope", "openid", "claims", "{\"userinfo\":{\"name\":{\"essential\":true}}}");
        JsonNode ui = userinfo(t);
        assertEquals(Set.of("sub", "name"), names(ui));
        assertEquals("Name of alice", ui.get("name").asText());
        assertEquals(alice.id(), ui.get("sub").asText());
        assertNull(idToken(t).getClaim("name"), "asked for in userinfo, not in the ID token");
    }

    @Test
    void claimsWhenUnknownNamesAndClaimsTheUserLacksThenIgnoredAndOmitted() {
        JsonNode t = tokens("rp", "scope", "openid", "claims",
                "{\"userinfo\":{\"x-unknown\":{\"essential\":true},\"phone_number\":{\"essential\":true},\"locale\":null,"
                        + "\"address\":null},\"other\":1}");
        JsonNode ui = userinfo(t);
        assertEquals(Set.of("sub", "locale"), names(ui));
        assertFalse(ui.toString().contains("null"), ui.toString());
    }

    @Test
    void userinfoWhenRefreshedThenClaimsRequestStillHonouredForJwtAndOpaqueTokens() throws Exception {
        for (String client : List.of("rp", "rp-opaque")) {
            JsonNode first = tokens(client, "scope", "openid offline_access",
                    "claims", "{\"userinfo\":{\"email\":null},\"id_token\":{\"name\":{\"essential\":true}}}");
            assertEquals(Set.of("sub", "email"), names(userinfo(first)), client);
            JsonNode second = first;
            for (int i = 0; i < 2; i++) {  // two rotations
                second = tokenOk(server.form("/oauth2/token", q("grant_type", "refresh_token",
                        "refresh_token", second.get("refresh_token").asText()), basic(client, "s3cret")));
            }
            assertNotEquals(first.get("access_token").asText(), second.get("access_token").asText());
            JsonNode ui = userinfo(second);
            assertEquals(Set.of("sub", "email"), names(ui), client);
            assertEquals("alice@example.com", ui.get("email").asText());
            assertEquals("Name of alice", idToken(second).getStringClaim("name"), client + ": the refreshed ID token too");
        }
    }

    @Test
    void authorizeWhenClaimsMalformedThenInvalidRequestRedirect() {
        for (String bad : List.of("not json", "[\"name\"]", "\"userinfo\"", "{\"userinfo\":[\"name\"]}",
                "{\"id_token\":\"email\"}", "{\"userinfo\":{\"name\":1}}", "{\"userinfo\":{\"name\":{\"essential\":\"yes\"}}}",
                "{\"userinfo\":{\"name\":{\"values\":\"a\"}}}", "{\"userinfo\":{},\"userinfo\":{}}")) {
            Map<String, String> p = errorRedirect("claims", bad);
            assertEquals("invalid_request", p.get("error"), bad);
            assertFalse(p.containsKey("code"));
        }
    }

    @Test
    void authorizeWhenClaimsOver10KbThenInvalidRequestAndAt10KbAccepted() {
        String head = "{\"userinfo\":{\"name\":null},\"pad\":\"";
        String at = head + "a".repeat(10 * 1024 - head.length() - 2) + "\"}";
        assertEquals(10 * 1024, at.length());
        String over = head + "a".repeat(10 * 1024 - head.length() - 1) + "\"}";
        Map<String, String> p = errorRedirect("claims", over);
        assertEquals("invalid_request", p.get("error"));
        assertTrue(p.get("error_description").contains("10240"), p.get("error_description"));
        assertEquals(Set.of("sub", "name"), names(userinfo(tokens("rp", "scope", "openid", "claims", at))));
    }

    @Test
    void authorizeWhenSubValueIsAnotherUserThenLoginRequiredAndWhenItMatchesThenCode() {
        OidcFlow browser = new OidcFlow(server);
        browser.code(browser.authorizeAndApprove(authz("rp"), "alice", "correct horse"), Optional.of("st-1"));
        HttpResponse<String> other = browser.authorize(authz("rp", "claims", "{\"id_token\":{\"sub\":{\"value\":\"u_someone\"}}}"));
        assertEquals(302, other.statusCode());
        Map<String, String> p = OidcFlow.redirectParams(other);
        assertEquals("login_required", p.get("error"));
        assertNull(p.get("code"));
        HttpResponse<String> same = browser.authorize(authz("rp", "claims",
                "{\"id_token\":{\"sub\":{\"value\":\"" + alice.id() + "\"}}}"));
        browser.code(same, Optional.of("st-1"));
    }

    @Test
    void consentWhenClaimsAskForEmailWithoutItsScopeThenTheConsentPageNamesIt() {
        OidcFlow browser = new OidcFlow(server);
        HttpResponse<String> consent = browser.follow(browser.login(browser.authorize(authz("third", "scope", "openid",
                "claims", "{\"userinfo\":{\"email\":null}}")), "alice", "correct horse"));
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("See your email address"), consent.body());
        browser.code(browser.follow(browser.submit(consent, "/consent", Map.of("decision", "allow"))), Optional.of("st-1"));
        // Consent to openid alone does not cover a claims request for email.
        OidcFlow fresh = new OidcFlow(server);
        HttpResponse<String> plain = fresh.follow(fresh.login(fresh.authorize(authz("third", "scope", "openid", "state", "s2")),
                "alice", "correct horse"));
        assertEquals(303, plain.statusCode(), "openid was consented to with the email request");  // the code, from POST /login
        HttpResponse<String> phone = fresh.authorize(authz("third", "scope", "openid", "claims", "{\"userinfo\":{\"phone_number\":null}}"));
        assertEquals(200, phone.statusCode());
        assertTrue(phone.body().contains("See your phone number"), phone.body());
    }

    @Test
    void discoveryWhenClaimsParameterThenAdvertisedWithClaimsSupported() {
        JsonNode m = json(server.get("/.well-known/openid-configuration"));
        assertTrue(m.get("claims_parameter_supported").asBoolean());
        for (String c : List.of("sub", "acr", "auth_time", "name", "email", "email_verified", "address", "phone_number")) {
            assertTrue(m.get("claims_supported").toString().contains("\"" + c + "\""), c);
        }
    }
}
