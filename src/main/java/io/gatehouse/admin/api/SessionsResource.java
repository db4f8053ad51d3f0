package io.gatehouse.admin.api;

import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's browser sessions: {@code GET .../users/{username}/sessions} lists those not expired, {@code DELETE} there
 * ends them all, {@code DELETE .../sessions/{session_id}} one (the browser must sign in again). 204 either way.
 */
final class SessionsResource {
    static final String PATH = UserResource.PATH + "/sessions";
    static final String ONE = PATH + "/{session_id}";

    private final UserAccessAdmin access;

    SessionsResource(UserAccessAdmin access) {
        this.access = access;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query.none(req);
        return AdminApi.items(access.sessions(UserResource.username(req)).stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session_id", s.id());
            m.put("auth_time", s.authTime().toString());
            m.put("expires_at", s.expiresAt().toString());
            return m;
        }).toList());
    }

    WebResponse revokeAll(WebRequest req, AdminAuth.Caller caller) {
        access.as(caller.actor()).revokeSessions(UserResource.username(req));
        return AdminApi.noContent();
    }

    WebResponse revoke(WebRequest req, AdminAuth.Caller caller) {
        access.as(caller.actor()).revokeSession(UserResource.username(req), req.pathParameter("session_id"));
        return AdminApi.noContent();
    }
}
