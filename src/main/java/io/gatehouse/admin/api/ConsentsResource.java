package io.gatehouse.admin.api;

import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's consents: {@code GET .../users/{username}/consents} lists them, {@code DELETE .../consents/{client_id}}
 * forgets one (the next authorization asks again) and revokes the user's grants to that client.
 */
final class ConsentsResource {
    static final String PATH = UserResource.PATH + "/consents";
    static final String ONE = PATH + "/{client_id}";

    private final UserAccessAdmin access;

    ConsentsResource(UserAccessAdmin access) {
        this.access = access;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query.none(req);
        return AdminApi.items(access.consents(UserResource.username(req)).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client_id", c.clientId().value());
            m.put("scope", c.scope().asString());
            m.put("granted_at", c.grantedAt().toString());
            return m;
        }).toList());
    }

    WebResponse revoke(WebRequest req, AdminAuth.Caller caller) {
        access.as(caller.actor()).revokeConsent(UserResource.username(req), req.pathParameter("client_id"));
        return AdminApi.noContent();
    }
}
