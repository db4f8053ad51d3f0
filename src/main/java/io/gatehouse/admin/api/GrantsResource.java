package io.gatehouse.admin.api;

import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's grants (what a client obtained through the authorization code flow): {@code GET .../users/{username}/grants}
 * lists those not revoked, {@code DELETE .../grants/{grant_id}} revokes one with every token issued from it.
 */
final class GrantsResource {
    static final String PATH = UserResource.PATH + "/grants";
    static final String ONE = PATH + "/{grant_id}";

    private final UserAccessAdmin access;

    GrantsResource(UserAccessAdmin access) {
        this.access = access;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query.none(req);
        return AdminApi.items(access.grants(UserResource.username(req)).stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("grant_id", g.grantId());
            m.put("client_id", g.clientId().value());
            m.put("scope", g.scope().asString());
            m.put("auth_time", g.authTime().toString());
            m.put("issued_at", g.issuedAt().toString());
            return m;
        }).toList());
    }

    WebResponse revoke(WebRequest req, AdminAuth.Caller caller) {
        access.as(caller.actor()).revokeGrant(UserResource.username(req), req.pathParameter("grant_id"));
        return AdminApi.noContent();
    }
}
