package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/api/v1/clients}: GET lists (paged by client id), POST registers a client (its secret shown once). */
final class ClientsResource {
    static final String PATH = AdminApi.BASE + "/clients";

    private final ClientAdmin clients;

    ClientsResource(ClientAdmin clients) {
        this.clients = clients;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query q = new Query(req, Set.of());
        int limit = q.limit();
        Optional<String> after = q.cursor(ClientId.MAX_LENGTH);
        q.check();
        List<Client> page = clients.list(after, limit + 1);
        return AdminApi.page(page.stream().limit(limit).map(ClientJson::of).toList(),
                page.size() > limit ? Optional.of(page.get(limit - 1).id().value()) : Optional.empty());
    }

    WebResponse create(WebRequest req, AdminAuth.Caller caller) {
        ObjectNode raw = JsonBody.object(req, JsonBody.JSON);
        JsonBody body = new JsonBody(raw, ClientJson.CREATE);
        String id = body.text(ClientAdmin.CLIENT_ID, 1000);
        if (id == null) body.problem(ClientAdmin.CLIENT_ID, "client_id is required");
        boolean publicClient = ClientJson.publicClient(body);
        Optional<String> secret = Optional.ofNullable(body.text(ClientAdmin.CLIENT_SECRET, 1000));
        var settings = ClientJson.settings(body);
        body.check();
        ClientAdmin.Saved saved = clients.as(caller.actor()).add(id, secret, publicClient, settings);
        var out = ClientJson.tree(saved.client());
        saved.newSecret().ifPresent(s -> out.put(ClientAdmin.CLIENT_SECRET, s));
        return ETags.tagged(AdminApi.json(201, out), saved.version())
                .with("Location", PATH + "/" + AdminApi.segment(saved.client().id().value()));
    }
}
