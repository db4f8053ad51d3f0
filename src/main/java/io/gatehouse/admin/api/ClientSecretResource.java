package io.gatehouse.admin.api;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code POST /admin/api/v1/clients/{client_id}/rotate-secret}: a new generated secret, returned in this answer only
 * (the old one stops working at once). No body, or an empty JSON object; {@code If-Match} is honoured when sent.
 */
final class ClientSecretResource {
    static final String PATH = ClientResource.PATH + "/rotate-secret";

    private final ClientAdmin clients;

    ClientSecretResource(ClientAdmin clients) {
        this.clients = clients;
    }

    WebResponse rotate(WebRequest req, AdminAuth.Caller caller) {
        JsonBody body = new JsonBody(JsonBody.optionalObject(req), Set.of());
        body.check();
        String id = ClientResource.id(req);
        OptionalLong expected = ETags.expected(req, false, () -> clients.findVersioned(id).version());
        ClientAdmin.Saved saved = clients.as(caller.actor()).rotateSecret(id, Optional.empty(), expected);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(ClientAdmin.CLIENT_ID, saved.client().id().value());
        out.put(ClientAdmin.CLIENT_SECRET, saved.newSecret().orElseThrow());
        return ETags.tagged(AdminApi.json(200, out), saved.version());
    }
}
