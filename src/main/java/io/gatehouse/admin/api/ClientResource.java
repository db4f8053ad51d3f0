package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.OptionalLong;

/**
 * {@code /admin/api/v1/clients/{client_id}}: GET (with its ETag), PUT replaces every setting (left out: the default),
 * PATCH applies a JSON merge patch (RFC 7396) to what GET shows, DELETE removes it. PUT, PATCH and DELETE need
 * {@code If-Match} ({@link ETags}).
 */
final class ClientResource {
    static final String PATH = ClientsResource.PATH + "/{client_id}";

    private final ClientAdmin clients;

    ClientResource(ClientAdmin clients) {
        this.clients = clients;
    }

    static String id(WebRequest req) {
        return req.pathParameter("client_id");
    }

    WebResponse get(WebRequest req, AdminAuth.Caller caller) {
        Versioned<Client> c = clients.findVersioned(id(req));
        return ETags.tagged(AdminApi.json(200, ClientJson.of(c.value())), c.version());
    }

    WebResponse put(WebRequest req, AdminAuth.Caller caller) {
        return replace(req, caller, JsonBody.object(req, JsonBody.JSON), clients.findVersioned(id(req)));
    }

    WebResponse patch(WebRequest req, AdminAuth.Caller caller) {
        ObjectNode patch = JsonBody.object(req, JsonBody.MERGE_PATCH);
        Versioned<Client> current = clients.findVersioned(id(req));
        JsonNode merged = JsonBody.mergePatch(ClientJson.tree(current.value()), patch);
        return replace(req, caller, (ObjectNode) merged, current);
    }

    private WebResponse replace(WebRequest req, AdminAuth.Caller caller, ObjectNode raw, Versioned<Client> current) {
        OptionalLong expected = ETags.expected(req, true, current::version);
        JsonBody body = new JsonBody(raw, ClientJson.REPLACE);
        ClientJson.checkReadOnly(body, raw, current.value());
        var settings = ClientJson.settings(body);
        body.check();
        ClientAdmin.Saved saved = clients.as(caller.actor()).replace(id(req), settings, expected);
        return ETags.tagged(AdminApi.json(200, ClientJson.of(saved.client())), saved.version());
    }

    WebResponse delete(WebRequest req, AdminAuth.Caller caller) {
        String id = id(req);
        OptionalLong expected = ETags.expected(req, true, () -> clients.findVersioned(id).version());
        clients.as(caller.actor()).remove(id, expected);
        return AdminApi.noContent();
    }
}
