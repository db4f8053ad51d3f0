package io.gatehouse.admin.api;

import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.User;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /admin/api/v1/users}: GET lists (paged by username), POST adds a user (with a password, never shown again). */
final class UsersResource {
    static final String PATH = AdminApi.BASE + "/users";

    private final UserAdmin users;

    UsersResource(UserAdmin users) {
        this.users = users;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query q = new Query(req, Set.of());
        int limit = q.limit();
        Optional<String> after = q.cursor(User.MAX_USERNAME);
        q.check();
        List<User> page = users.list(after, limit + 1);
        return AdminApi.page(page.stream().limit(limit).map(UserJson::of).toList(),
                page.size() > limit ? Optional.of(page.get(limit - 1).username()) : Optional.empty());
    }

    WebResponse create(WebRequest req, AdminAuth.Caller caller) {
        JsonBody body = new JsonBody(JsonBody.object(req, JsonBody.JSON), UserJson.CREATE);
        String username = body.text(UserAdmin.USERNAME, 1000);
        if (username == null) body.problem(UserAdmin.USERNAME, "username is required");
        String password = body.text(UserAdmin.PASSWORD, 10_000);
        if (password == null) body.problem(UserAdmin.PASSWORD, "password is required");
        UserAdmin.Changes changes = UserJson.changes(body, false);
        body.check(() -> UserAdmin.check(username, password, changes));
        body.check();
        User u = users.as(caller.actor()).add(username, password, changes);
        var saved = users.findVersioned(u.username());
        return ETags.tagged(AdminApi.json(201, UserJson.of(saved.value())), saved.version())
                .with("Location", PATH + "/" + AdminApi.segment(u.username()));
    }
}
