package io.gatehouse.admin.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.ClientSettings;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.http.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /**
     * The client as the API shows it: written field by field when serialized (lists of clients are the API's hot
     * read), and as a tree with {@link #tree}.
     */
    static JsonSerializable of(Client c) {
        return new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
                write(g, c);
            }

            @Override
            public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer type) throws IOException {
                write(g, c);
            }
        };
    }

    /** The client as a JSON tree (for a merge patch, or to add the secret once). */
    static ObjectNode tree(Client c) {
        return Json.mapper().valueToTree(of(c));
    }

    private static void write(JsonGenerator g, Client c) throws IOException {
        g.writeStartObject();
        g.writeStringField(ClientAdmin.CLIENT_ID, c.id().value());
        g.writeStringField(CLIENT_TYPE, c.isPublic() ? "public" : "confidential");
        g.writeArrayFieldStart(GRANT_TYPES);
        for (GrantType grant : GrantType.values()) {  // declared in the order of their wire names
            if (c.allows(grant)) g.writeString(grant.wireName());
        }
        g.writeEndArray();
        g.writeStringField(SCOPE, c.scope().asString());
        g.writeStringField(TOKEN_FORMAT, c.tokenFormat().wireName());
        g.writeNumberField(ACCESS_TOKEN_TTL, c.accessTokenTtl().toSeconds());
        g.writeObjectFieldStart(CLAIMS);
        for (Map.Entry<String, String> e : c.claims().entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
        g.writeStringField(SIGNING_ALG, c.signingAlg().name());
        g.writeStringField(SCOPE_CLAIM, c.scopeClaim().name().toLowerCase(Locale.ROOT));
        g.writeStringField(AUDIENCE, c.audience().orElse(null));
        strings(g, REDIRECT_URIS, c.redirectUris());
        strings(g, POST_LOGOUT_REDIRECT_URIS, c.postLogoutRedirectUris());
        g.writeBooleanField(REQUIRE_PKCE, c.requirePkce());
        g.writeBooleanField(REFRESH_TOKENS, c.refreshTokens());
        g.writeBooleanField(FIRST_PARTY, c.firstParty());
        g.writeNumberField(ID_TOKEN_TTL, c.idTokenTtl().toSeconds());
        g.writeNumberField(REFRESH_TOKEN_TTL, c.refreshTokenTtl().toSeconds());
        g.writeBooleanField(JWT_HEADER_X5T, c.jwtHeaderX5t());
        g.writeBooleanField(INTROSPECTION, c.resourceServer());
        g.writeFieldName(JWKS);
        if (c.jwks().isPresent()) g.writeTree(jwks(c.jwks().get()));
        else g.writeNull();
        g.writeStringField(REQUEST_OBJECT_SIGNING_ALG, c.requestObjectSigningAlg().map(RequestObjectSigningAlg::wireName).orElse(null));
        g.writeBooleanField(DEMO, c.demo());
        g.writeStringField(CREATED_AT, c.createdAt().toString());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, java.util.List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
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
        ObjectNode now = tree(current);
        for (String f : Set.of(ClientAdmin.CLIENT_ID, CLIENT_TYPE, DEMO, CREATED_AT)) {
            if (body.has(f) && !raw.get(f).equals(now.get(f))) {
                body.problem(f, f + " is read-only" + (f.equals(CLIENT_TYPE) ? ": register a new client to change it" : ""));
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
