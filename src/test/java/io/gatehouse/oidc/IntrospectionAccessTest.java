package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.User;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
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
 * Who may introspect which access token (docs/oidc.md#introspection): a --introspection client any, the token's
 * audience and the client it was issued to their own; every other client gets exactly {"active":false}.
 */
class IntrospectionAccessTest {
    static final String INACTIVE = "{\"active\":false}";
    static final String OTHER_API = "https://other-api.example";
    static TestServer server;
    static User alice;
    static OidcFlow browser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("app", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .redirectUris(List.of(REDIRECT)).firstParty(true).refreshTokens(true));
        server.addClient("app-opaque", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).tokenFormat(TokenFormat.OPAQUE));
        // Tokens for the API "orders": the client of that API is their audience.
        server.addClient("for-orders", "s3cret", b -> b.audience("orders").scope(Scope.of("read")));
        server.addClient("for-orders-opaque", "s3cret", b -> b.audience("orders").tokenFormat(TokenFormat.OPAQUE));
        server.addClient("orders", "s3cret", b -> b.scope(Scope.of("x")));
        server.addClient("other-api", "s3cret", b -> b.audience(OTHER_API));
        server.addClient("stranger", "s3cret", b -> b.scope(Scope.of("x")));
        server.addClient("gateway", "s3cret", b -> b.resourceServer(true));
        browser = new OidcFlow(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode userTokens(String client) {
        String code = browser.code(browser.authorizeAndApprove(authz(client), "alice", "correct horse"), Optional.of("st-1"));
        return tokenOk(server.form("/oauth2/token", q("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT),
                basic(client, "s3cret")));
    }

    static String clientToken(String client) {
        return json(server.form("/oauth2/token", "grant_type=client_credentials", basic(client, "s3cret"))).get("access_token").asText();
    }

    static HttpResponse<String> introspect(String caller, String token) {
        HttpResponse<String> r = server.form("/oauth2/introspect", q("token", token), basic(caller, "s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    static JsonNode active(String caller, String token) {
        HttpResponse<String> r = introspect(caller, token);
        JsonNode b = json(r);
        assertTrue(b.get("active").asBoolean(), caller + ": " + r.body());
        return b;
    }

    @Test
    void introspectWhenStrangerClientThenExactlyActiveFalse() {
        JsonNode user = userTokens("app");
        for (String token : List.of(user.get("access_token").asText(), userTokens("app-opaque").get("access_token").asText(),
                clientToken("for-orders"), clientToken("for-orders-opaque"), clientToken("other-api"))) {
            assertEquals(INACTIVE, introspect("stranger", token).body());
        }
        assertEquals(INACTIVE, introspect("stranger", user.get("refresh_token").asText()).body());
        assertEquals(INACTIVE, introspect("orders", user.get("access_token").asText()).body(),
                "the audience of one API is a stranger to tokens for the issuer");
        assertEquals(INACTIVE, introspect("orders", clientToken("other-api")).body());
    }

    @Test
    void introspectWhenAudienceClientThenActiveWithDetails() {
        for (String client : List.of("for-orders", "for-orders-opaque")) {
            JsonNode b = active("orders", clientToken(client));
            assertEquals(client, b.get("client_id").asText());
            assertEquals(client, b.get("sub").asText());
            assertEquals("orders", b.get("aud").asText());
            assertEquals("Bearer", b.get("token_type").asText());
            assertEquals(server.base, b.get("iss").asText());
            assertTrue(b.get("exp").asLong() > b.get("iat").asLong());
        }
        assertEquals("read", active("orders", clientToken("for-orders")).get("scope").asText());
    }

    @Test
    void introspectWhenResourceServerClientThenActiveWithDetailsWhateverTheAudience() {
        JsonNode user = userTokens("app");
        for (String client : List.of("app", "app-opaque")) {
            JsonNode b = active("gateway", (client.equals("app") ? user : userTokens(client)).get("access_token").asText());
            assertEquals(client, b.get("client_id").asText());
            assertEquals(alice.id(), b.get("sub").asText());
            assertEquals("alice", b.get("username").asText());
            assertEquals(server.base, b.get("aud").asText());
            assertEquals("openid profile email", b.get("scope").asText());
        }
        assertEquals(OTHER_API, active("gateway", clientToken("other-api")).get("aud").asText());
        assertEquals("orders", active("gateway", clientToken("for-orders-opaque")).get("aud").asText());
        assertEquals(INACTIVE, introspect("gateway", user.get("refresh_token").asText()).body(),
                "a refresh token only to the client it was issued to");
    }

    @Test
    void introspectWhenTheTokensOwnClientThenActive() {
        JsonNode user = userTokens("app");
        assertEquals(alice.id(), active("app", user.get("access_token").asText()).get("sub").asText());
        assertEquals("refresh_token", active("app", user.get("refresh_token").asText()).get("token_type").asText());
        assertEquals("other-api", active("other-api", clientToken("other-api")).get("client_id").asText());
        assertEquals("app-opaque", active("app-opaque", userTokens("app-opaque").get("access_token").asText()).get("client_id").asText());
    }

    @Test
    void revokeWhenOwnClientWithAnotherAudienceThenRevokedWhateverTheAudience() {
        for (String client : List.of("other-api", "for-orders-opaque")) {
            String t = clientToken(client);
            assertTrue(json(introspect("gateway", t)).get("active").asBoolean());
            assertEquals(200, server.form("/oauth2/revoke", q("token", t), basic("stranger", "s3cret")).statusCode());
            assertTrue(json(introspect("gateway", t)).get("active").asBoolean(), "another client cannot revoke it");
            assertEquals(200, server.form("/oauth2/revoke", q("token", t), basic(client, "s3cret")).statusCode());
            assertEquals(INACTIVE, introspect("gateway", t).body(), client);
        }
    }

    @Test
    void userinfoWhenAccessTokenForAnotherAudienceThenInvalidToken() {
        server.addClient("app-orders", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true).audience("orders"));
        String at = userTokens("app-orders").get("access_token").asText();
        HttpResponse<String> r = server.get("/oauth2/userinfo", "Authorization", "Bearer " + at);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        assertEquals(200, server.get("/oauth2/userinfo", "Authorization", "Bearer " + userTokens("app").get("access_token").asText())
                .statusCode(), "tokens for the issuer still work");
        assertEquals("orders", active("orders", at).get("aud").asText(), "the API it is meant for may introspect it");
    }

    @Test
    void introspectWhenFlagChangedByUpdateThenAppliesAtOnce() {
        String t = clientToken("other-api");
        assertEquals(INACTIVE, introspect("stranger", t).body());
        server.clients.update("stranger", Optional.empty(), b -> b.resourceServer(true));
        try {
            assertTrue(json(introspect("stranger", t)).get("active").asBoolean());
        } finally {
            server.clients.update("stranger", Optional.empty(), b -> b.resourceServer(false));
        }
        assertEquals(INACTIVE, introspect("stranger", t).body());
    }
}
