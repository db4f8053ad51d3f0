package io.gatehouse.admin.console;

import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.http.Browser;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.gatehouse.admin.console.ConsolePage.*;
import static io.gatehouse.http.Html.esc;

/** Users: the list, and ending all of a user's browser sessions after a confirmation. */
final class UsersPage {
    static final String PATH = Console.BASE + "/users";
    static final String REVOKE = PATH + "/{username}/revoke-sessions";
    static final int LIMIT = 500;

    private final UserAdmin users;
    private final UserAccessAdmin access;

    UsersPage(UserAdmin users, UserAccessAdmin access) {
        this.users = users;
        this.access = access;
    }

    WebResponse list(Console.Ctx ctx) {
        List<User> all = users.list(Optional.empty(), LIMIT);
        StringBuilder b = new StringBuilder(8192);
        b.append("<div class=\"table\"><table><thead><tr><th>Username</th><th>Name</th><th>Email</th><th>Roles</th><th></th></tr></thead><tbody>");
        for (User u : all) {
            b.append("<tr><td data-label=\"Username\"><strong>").append(esc(u.username())).append("</strong></td><td data-label=\"Name\">")
                    .append(esc(u.name().orElse(""))).append("</td><td data-label=\"Email\">").append(esc(u.email().orElse("")))
                    .append("</td><td data-label=\"Roles\">")
                    .append(esc(u.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", "))))
                    .append("</td><td class=\"actions\">")
                    .append(link(PATH + "/" + Browser.enc(u.username()).replace("+", "%20") + "/revoke-sessions",
                            "Revoke sessions", "button small danger"))
                    .append("</td></tr>");
        }
        if (all.isEmpty()) b.append("<tr><td colspan=\"5\">No users yet.</td></tr>");
        b.append("</tbody></table></div>");
        if (all.size() == LIMIT) b.append("<p class=\"note\">The first ").append(LIMIT).append(" users are shown.</p>");
        b.append("<p class=\"note\">Add users and set passwords with <code>gatehouse user add</code> or the admin API.</p>");
        return page(200, ctx.session(), "/users", "Users", b.toString());
    }

    WebResponse confirmRevoke(Console.Ctx ctx) {
        String username = ctx.req().pathParameter("username");
        int n = access.sessions(username).size();
        return confirm(ctx.session(), "/users", "Revoke sessions", "End all " + n + " browser session" + (n == 1 ? "" : "s")
                + " of <strong>" + esc(username) + "</strong>? They must sign in again everywhere.", ctx.req().path(),
                "Revoke sessions", PATH);
    }

    WebResponse revoke(Console.Ctx ctx) {
        String username = ctx.req().pathParameter("username");
        int n = access.as(ctx.actor()).revokeSessions(username);
        ctx.session().flash(n + " session" + (n == 1 ? "" : "s") + " of " + username + " revoked.");
        return redirect(PATH);
    }
}
