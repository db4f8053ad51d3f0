package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.User;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.OptionalLong;

/**
 * {@code /admin/api/v1/users/{username}}: GET (with its ETag), PATCH applies a JSON merge patch (RFC 7396) to what GET
 * shows (an email changed without {@code email_verified} is not verified), DELETE removes the user with their sessions
 * and consents. PATCH and DELETE need {@code If-Match}.
 */
final class UserResource {
    static final String PATH = UsersResource.PATH + "/{username}";

    private final UserAdmin users;

    UserResource(UserAdmin users) {
        this.users = users;
    }

    static String username(WebRequest req) {
        return req.pathParameter("username");
    }

    WebResponse get(WebRequest req, AdminAuth.Caller caller) {
        Versioned<User> u = users.findVersioned(username(req));
        return ETags.tagged(AdminApi.json(200, UserJson.of(u.value())), u.version());
    }

    WebResponse patch(WebRequest req, AdminAuth.Caller caller) {
        ObjectNode patch = JsonBody.object(req, JsonBody.MERGE_PATCH);
        Versioned<User> current = users.findVersioned(username(req));
        OptionalLong expected = ETags.expected(req, true, current::version);
        ObjectNode merged = (ObjectNode) JsonBody.mergePatch(Json.mapper().valueToTree(UserJson.of(current.value())), patch);
        if (patch.has(UserAdmin.EMAIL) && !patch.has(UserJson.EMAIL_VERIFIED)) merged.remove(UserJson.EMAIL_VERIFIED);
        JsonBody body = new JsonBody(merged, UserJson.PATCH);
        UserJson.checkReadOnly(body, merged, current.value());
        UserAdmin.Changes changes = UserJson.changes(body, true);
        body.check(() -> UserAdmin.check(null, null, changes));
        body.check();
        Versioned<User> saved = users.as(caller.actor()).update(current.value().username(), changes, expected);
        return ETags.tagged(AdminApi.json(200, UserJson.of(saved.value())), saved.version());
    }

    WebResponse delete(WebRequest req, AdminAuth.Caller caller) {
        String username = username(req);
        OptionalLong expected = ETags.expected(req, true, () -> users.findVersioned(username).version());
        users.as(caller.actor()).remove(username, expected);
        return AdminApi.noContent();
    }
}
