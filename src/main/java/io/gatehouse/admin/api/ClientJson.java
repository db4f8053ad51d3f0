package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.ClientSettings;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.gatehouse.admin.ClientSettings.*;

/**
 * A client as the admin API shows it and takes it: snake_case fields named like the CLI's settings (see
 * {@link ClientSettings}), never the secret or its hash. Read-only fields ({@code client_id}, {@code client_type},
 * {@code demo}, {@code created_at}) may come back in a PUT or PATCH unchanged, and are refused when changed.
 */
final class ClientJson {
    static final String CLIENT_TYPE = "client_type";
    static final String DEMO = "demo";
    static final String CREATED_AT = "created_at";
    /** The settings fields (create, PUT, PATCH). */
    static final Set<String> SETTINGS = Set.of(GRANT_TYPES, SCOPE, TOKEN_FORMAT, ACCESS_TOKEN_TTL, CLAIMS, SIGNING_ALG,
            SCOPE_CLAIM, AUDIENCE, REDIRECT_URIS, POST_LOGOUT_REDIRECT_URIS, REQUIRE_PKCE, REFRESH_TOKENS, FIRST_PARTY,
            ID_TOKEN_TTL, REFRESH_TOKEN_TTL, JWT_HEADER_X5T, INTROSPECTION, JWKS, REQUEST_OBJECT_SIGNING_ALG);
    static final Set<String> CREATE = union(SETTINGS, Set.of(ClientAdmin.CLIENT_ID, CLIENT_TYPE, ClientAdmin.CLIENT_SECRET));
    static final Set<String> REPLACE = union(SETTINGS, Set.of(ClientAdmin.CLIENT_ID, CLIENT_TYPE, DEMO, CREATED_AT));
    /** The longest string a settings field may hold before its own rules look at it. */
    private static final int MAX_TEXT = Client.MAX_JWKS_LENGTH;

    private ClientJson() {
    }

    static Map<String, Object> of(Client c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ClientAdmin.CLIENT_ID, c.id().value());
        m.put(CLIENT_TYPE, c.isPublic() ? "public" : "confidential");
        m.put(GRANT_TYPES, c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
        m.put(SCOPE, c.scope().asString());
        m.put(TOKEN_FORMAT, c.tokenFormat().wireName());
        m.put(ACCESS_TOKEN_TTL, c.accessTokenTtl().toSeconds());
        m.put(CLAIMS, c.claims());
        m.put(SIGNING_ALG, c.signingAlg().name());
        m.put(SCOPE_CLAIM, c.scopeClaim().name().toLowerCase(Locale.ROOT));
        m.put(AUDIENCE, c.audience().orElse(null));
        m.put(REDIRECT_URIS, c.redirectUris());
        m.put(POST_LOGOUT_REDIRECT_URIS, c.postLogoutRedirectUris());
        m.put(REQUIRE_PKCE, c.requirePkce());
        m.put(REFRESH_TOKENS, c.refreshTokens());
        m.put(FIRST_PARTY, c.firstParty());
        m.put(ID_TOKEN_TTL, c.idTokenTtl().toSeconds());
        m.put(REFRESH_TOKEN_TTL, c.refreshTokenTtl().toSeconds());
        m.put(JWT_HEADER_X5T, c.jwtHeaderX5t());
        m.put(INTROSPECTION, c.resourceServer());
        m.put(JWKS, c.jwks().map(ClientJson::jwks).orElse(null));
        m.put(REQUEST_OBJECT_SIGNING_ALG, c.requestObjectSigningAlg().map(RequestObjectSigningAlg::wireName).orElse(null));
        m.put(DEMO, c.demo());
        m.put(CREATED_AT, c.createdAt().toString());
        return m;
    }

    /** The stored JWK Set as JSON (it was checked when registered). */
    private static JsonNode jwks(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            return Json.mapper().getNodeFactory().textNode(text);
        }
    }

    /** The settings a body gives; problems are recorded in {@code body}. Fields left out stay null. */
    static ClientSettings settings(JsonBody body) {
        ClientSettings s = new ClientSettings();
        s.grantTypes = body.strings(GRANT_TYPES, 10, 100);
        s.scope = body.text(SCOPE, MAX_TEXT);
        s.tokenFormat = body.text(TOKEN_FORMAT, 100);
        s.accessTokenTtl = body.integer(ACCESS_TOKEN_TTL);
        s.claims = body.stringMap(CLAIMS, ClientSettings.MAX_CLAIMS, ClientSettings.MAX_VALUE_LENGTH);
        s.signingAlg = body.text(SIGNING_ALG, 100);
        s.scopeClaim = body.text(SCOPE_CLAIM, 100);
        s.audience = body.text(AUDIENCE, MAX_TEXT);
        s.redirectUris = body.strings(REDIRECT_URIS, ClientSettings.MAX_URIS, ClientSettings.MAX_URI_LENGTH);
        s.postLogoutRedirectUris = body.strings(POST_LOGOUT_REDIRECT_URIS, ClientSettings.MAX_URIS, ClientSettings.MAX_URI_LENGTH);
        s.requirePkce = body.bool(REQUIRE_PKCE);
        s.refreshTokens = body.bool(REFRESH_TOKENS);
        s.firstParty = body.bool(FIRST_PARTY);
        s.idTokenTtl = body.integer(ID_TOKEN_TTL);
        s.refreshTokenTtl = body.integer(REFRESH_TOKEN_TTL);
        s.jwtHeaderX5t = body.bool(JWT_HEADER_X5T);
        s.introspection = body.bool(INTROSPECTION);
        JsonNode jwks = body.node(JWKS);
        if (jwks != null) {
            if (jwks.isObject()) s.jwks = new String(Json.write(jwks), StandardCharsets.UTF_8);
            else body.problem(JWKS, JWKS + " must be a JWK Set (a JSON object with \"keys\")");
        }
        s.requestObjectSigningAlg = body.text(REQUEST_OBJECT_SIGNING_ALG, 100);
        // Each field's own rules now, so that one answer names every bad field (the use case applies them again).
        body.check(() -> s.applyTo(Client.builder(new ClientId("check"))));
        return s;
    }

    /** Whether the body names the public client type; "confidential" or nothing is the default. */
    static boolean publicClient(JsonBody body) {
        String type = body.text(CLIENT_TYPE, 100);
        if (type == null || type.equals("confidential")) return false;
        if (type.equals("public")) return true;
        return body.problem(CLIENT_TYPE, CLIENT_TYPE + " must be confidential or public") != null;
    }

    /** Read-only fields of a PUT or PATCH body must be what the client has (they may be sent back unchanged). */
    static void checkReadOnly(JsonBody body, ObjectNode raw, Client current) {
        Map<String, Object> now = of(current);
        for (String f : Set.of(ClientAdmin.CLIENT_ID, CLIENT_TYPE, DEMO, CREATED_AT)) {
            if (body.has(f) && !raw.get(f).equals(Json.mapper().valueToTree(now.get(f)))) {
                body.problem(f, f + " is read-only" + (f.equals(CLIENT_TYPE) ? ": register a new client to change it" : ""));
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
