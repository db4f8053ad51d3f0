package io.gatehouse.admin.api;

import io.gatehouse.admin.UserAdmin;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code POST /admin/api/v1/users/{username}/password} with {@code {"password": "..."}}: sets a new password (8 to
 * 1024 characters); 204. {@code If-Match} is honoured when sent. The user's sessions stay (end them with DELETE
 * .../sessions).
 */
final class UserPasswordResource {
    static final String PATH = UserResource.PATH + "/password";

    private final UserAdmin users;

    UserPasswordResource(UserAdmin users) {
        this.users = users;
    }

    WebResponse set(WebRequest req, AdminAuth.Caller caller) {
        JsonBody body = new JsonBody(JsonBody.object(req, JsonBody.JSON), Set.of(UserAdmin.PASSWORD));
        String password = body.text(UserAdmin.PASSWORD, 10_000);
        if (password == null) body.problem(UserAdmin.PASSWORD, "password is required");
        body.check();
        String username = UserResource.username(req);
        OptionalLong expected = ETags.expected(req, false, () -> users.findVersioned(username).version());
        long version = users.as(caller.actor()).setPassword(username, password, expected);
        return ETags.tagged(AdminApi.noContent(), version);
    }
}
