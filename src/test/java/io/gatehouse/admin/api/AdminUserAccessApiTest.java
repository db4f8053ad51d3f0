package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's sessions, grants and consents through the API; admin users signing in with the console's client. */
class AdminUserAccessApiTest extends AdminApiTestBase {
    static final String PW = "correct horse battery";
    @BeforeAll
    static void clients() {
        server.addClient("web", AdminApiSupport.SECRET, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .scope(Scope.of("profile", "email")).redirectUris(List.of(OidcFlow.REDIRECT)));
        server.clients.add("console", Optional.empty(), true, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .scope(Scope.of("openid", AdminAccess.SCOPE)).redirectUris(List.of(OidcFlow.REDIRECT)).firstParty(true));
    }

    /** Signs in and redeems a code; @return the token response */
    static JsonNode signIn(OidcFlow browser, String client, String username, String scope, boolean publicClient) {
        String[] pkce = OidcFlow.pkce();
        HttpResponse<String> redirect = browser.authorizeAndApprove(OidcFlow.authz(client, "scope", scope, "code_challenge",
                pkce[1], "code_challenge_method", "S256"), username, PW);
        String code = browser.code(redirect, Optional.of("st-1"));
        String form = OidcFlow.q("grant_type", "authorization_code", "code", code, "redirect_uri", OidcFlow.REDIRECT,
                "code_verifier", pkce[0]) + (publicClient ? "&client_id=" + client : "");
        return OidcFlow.tokenOk(publicClient ? server.form("/oauth2/token", form)
                : server.form("/oauth2/token", form, TestServer.basic(client, AdminApiSupport.SECRET)));
    }

    @Test
    void sessionsGrantsAndConsentsWhenListedAndRevokedThenTokensStopWorking() {
        OidcFlow.addUser(server, "alice", PW);
        OidcFlow browser = new OidcFlow(server);
        JsonNode tokens = signIn(browser, "web", "alice", "openid profile", false);
        String access = tokens.get("access_token").asText();
        assertEquals(200, server.get("/oauth2/userinfo", "Authorization", "Bearer " + access).statusCode());

        JsonNode sessions = AdminApiSupport.ok(200, api.get("/users/alice/sessions"));
        assertEquals(1, sessions.get("items").size());
        // the sign-in's audit event is not waited for on its own: it is committed with the session, so it is there too
        JsonNode logins = AdminApiSupport.ok(200, api.get("/audit-events?type=login.succeeded"));
        assertEquals("alice", logins.get("items").get(0).get("subject").asText(), logins.toString());
        JsonNode grants = AdminApiSupport.ok(200, api.get("/users/alice/grants"));
        assertEquals(1, grants.get("items").size());
        assertEquals("web", grants.get("items").get(0).get("client_id").asText());
        JsonNode consents = AdminApiSupport.ok(200, api.get("/users/alice/consents"));
        assertEquals("web", consents.get("items").get(0).get("client_id").asText());

        AdminApiSupport.problem(404, api.delete("/users/alice/grants/nope"));
        AdminApiSupport.ok(204, api.delete("/users/alice/grants/" + grants.get("items").get(0).get("grant_id").asText()));
        assertEquals(401, server.get("/oauth2/userinfo", "Authorization", "Bearer " + access).statusCode(), "revoked with its grant");
        assertEquals(0, AdminApiSupport.ok(200, api.get("/users/alice/grants")).get("items").size());

        AdminApiSupport.ok(204, api.delete("/users/alice/consents/web"));
        AdminApiSupport.problem(404, api.delete("/users/alice/consents/web"));
        assertEquals(0, AdminApiSupport.ok(200, api.get("/users/alice/consents")).get("items").size());

        AdminApiSupport.problem(404, api.delete("/users/alice/sessions/nope"));
        AdminApiSupport.ok(204, api.delete("/users/alice/sessions/" + sessions.get("items").get(0).get("session_id").asText()));
        assertEquals(0, AdminApiSupport.ok(200, api.get("/users/alice/sessions")).get("items").size());
        assertTrue(browser.authorize(OidcFlow.authz("web")).body().contains("name=\"password\""), "signed out");
        AdminApiSupport.ok(204, api.delete("/users/alice/sessions"));

        for (String path : List.of("/users/nobody/sessions", "/users/nobody/grants", "/users/nobody/consents")) {
            AdminApiSupport.problem(404, api.get(path));
        }
        AdminApiSupport.problem(400, api.get("/users/alice/sessions?limit=5"));
    }

    @Test
    void adminUserWhenSignedInWithConsoleThenManagesAndIsAuditedByName() {
        OidcFlow.users(server).add("ops", PW, new UserAdmin.Changes(null, null, null, Map.of(), null, EnumSet.of(Role.ADMIN)));
        JsonNode tokens = signIn(new OidcFlow(server), "console", "ops", "openid " + AdminAccess.SCOPE, true);
        assertEquals("openid gatehouse:admin", tokens.get("scope").asText());
        String token = tokens.get("access_token").asText();
        AdminApiSupport.ok(200, api.call("GET", "/clients", token, null, null));
        AdminApiSupport.ok(201, api.call("POST", "/clients", token, "application/json", "{\"client_id\":\"made-by-ops\"}"));
        JsonNode events = AdminApiSupport.ok(200, api.get("/audit-events?type=client.changed&actor=api%20(user%20ops)"));
        assertEquals("made-by-ops", events.get("items").get(0).get("subject").asText());

        // the role taken away: the token no longer opens the API
        AdminApiSupport.ok(200, api.patch("/users/ops", "{\"roles\":[]}", "If-Match", "*"));
        HttpResponse<String> after = api.call("GET", "/clients", token, null, null);
        AdminApiSupport.problem(403, after);
    }

    @Test
    void userWithoutRoleAdminWhenAskingForAdminScopeThenAccessDenied() {
        OidcFlow.addUser(server, "bob", PW);
        OidcFlow browser = new OidcFlow(server);
        String[] pkce = OidcFlow.pkce();
        HttpResponse<String> r = browser.authorize(OidcFlow.authz("console", "scope", "openid " + AdminAccess.SCOPE,
                "code_challenge", pkce[1], "code_challenge_method", "S256"));
        r = browser.follow(browser.login(r, "bob", PW));
        assertEquals(303, r.statusCode(), r.body());  // the sign-in form answers with the error redirect itself
        assertEquals("access_denied", OidcFlow.redirectParams(r).get("error"));
    }
}
