package io.gatehouse.admin.console;

import io.gatehouse.admin.AdminCommands;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.ClientSettings;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.http.Browser;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.gatehouse.admin.console.ConsolePage.*;
import static io.gatehouse.http.Html.esc;

/**
 * Clients: the list, a form to register one, delete and rotate-secret after a confirmation. A generated secret is kept
 * in the console session and shown on the next page only (with a copy button), never in a URL.
 */
final class ClientsPage {
    static final String PATH = Console.BASE + "/clients";
    static final String DELETE = PATH + "/{client_id}/delete";
    static final String ROTATE = PATH + "/{client_id}/rotate-secret";
    static final int LIMIT = 500;

    private final ClientAdmin clients;

    ClientsPage(ClientAdmin clients) {
        this.clients = clients;
    }

    WebResponse list(Console.Ctx ctx) {
        StringBuilder b = new StringBuilder(8192);
        ctx.session().takeSecret().ifPresent(s -> b.append("<section class=\"card secret\" id=\"new-secret\"><h2>Secret of ")
                .append(esc(s[0])).append("</h2><p>Copy it now: it is shown this once and cannot be seen again.</p>")
                .append("<div class=\"copy\"><code id=\"secret-value\">").append(esc(s[1]))
                .append("</code><button type=\"button\" class=\"small\" data-copy=\"secret-value\" hidden>Copy</button></div></section>"));
        List<Client> all = clients.list(Optional.empty(), LIMIT);
        b.append("<div class=\"table\"><table><thead><tr><th>Client</th><th>Type</th><th>Grants</th><th>Scope</th><th></th></tr></thead><tbody>");
        for (Client c : all) {
            String id = c.id().value();
            String seg = Browser.enc(id).replace("+", "%20");
            b.append("<tr><td data-label=\"Client\"><strong>").append(esc(id)).append("</strong></td><td data-label=\"Type\">")
                    .append(c.isPublic() ? "public" : "confidential").append("</td><td data-label=\"Grants\">")
                    .append(esc(c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(", "))))
                    .append("</td><td data-label=\"Scope\">").append(esc(c.scope().asString())).append("</td><td class=\"actions\">");
            if (!c.isPublic()) b.append(link(PATH + "/" + seg + "/rotate-secret", "Rotate secret", "button small secondary"));
            if (!id.equals(AdminCommands.CONSOLE_CLIENT)) b.append(link(PATH + "/" + seg + "/delete", "Delete", "button small danger"));
            b.append("</td></tr>");
        }
        if (all.isEmpty()) b.append("<tr><td colspan=\"5\">No clients yet.</td></tr>");
        b.append("</tbody></table></div>");
        if (all.size() == LIMIT) b.append("<p class=\"note\">The first ").append(LIMIT).append(" clients are shown.</p>");
        b.append("<section class=\"card\"><h2>Register a client</h2><form method=\"post\" action=\"").append(PATH)
                .append("\" class=\"grid-form\">").append(csrfField(ctx.session()))
                .append("<label for=\"client_id\">Client id</label><input id=\"client_id\" name=\"client_id\" required maxlength=\"200\" "
                        + "autocomplete=\"off\" spellcheck=\"false\">")
                .append("<label for=\"grant\">Grant</label><select id=\"grant\" name=\"grant\">"
                        + "<option value=\"client_credentials\">client_credentials (a machine)</option>"
                        + "<option value=\"authorization_code\">authorization_code (a web app, users sign in)</option></select>")
                .append("<label for=\"scope\">Scope</label><input id=\"scope\" name=\"scope\" maxlength=\"1000\" placeholder=\"e.g. read write\">")
                .append("<label for=\"redirect_uri\">Redirect URI</label><input id=\"redirect_uri\" name=\"redirect_uri\" maxlength=\"2000\" "
                        + "placeholder=\"only for authorization_code\">")
                .append("<button type=\"submit\">Register</button></form></section>");
        return page(200, ctx.session(), "/clients", "Clients", b.toString());
    }

    WebResponse create(Console.Ctx ctx) {
        String id = ctx.field("client_id").strip();
        ClientSettings s = new ClientSettings();
        String grant = ctx.field("grant");
        s.grantTypes = List.of(grant.equals("authorization_code") ? "authorization_code" : "client_credentials");
        nonEmpty(ctx.field("scope")).ifPresent(v -> s.scope = v);
        nonEmpty(ctx.field("redirect_uri")).ifPresent(v -> s.redirectUris = List.of(v));
        ClientAdmin.Saved saved = clients.as(ctx.actor()).add(id, Optional.empty(), false, s);
        saved.newSecret().ifPresent(secret -> ctx.session().secret(saved.client().id().value(), secret));
        ctx.session().flash("Client " + saved.client().id().value() + " registered.");
        return redirect(PATH);
    }

    WebResponse confirmDelete(Console.Ctx ctx) {
        String id = clients.find(ctx.req().pathParameter("client_id")).id().value();
        return confirm(ctx.session(), "/clients", "Delete client", "Delete the client <strong>" + esc(id)
                + "</strong>? Its tokens stop working and this cannot be undone.", ctx.req().path(), "Delete", PATH);
    }

    WebResponse delete(Console.Ctx ctx) {
        String id = ctx.req().pathParameter("client_id");
        clients.as(ctx.actor()).remove(id);
        ctx.session().flash("Client " + id + " deleted.");
        return redirect(PATH);
    }

    WebResponse confirmRotate(Console.Ctx ctx) {
        String id = clients.find(ctx.req().pathParameter("client_id")).id().value();
        return confirm(ctx.session(), "/clients", "Rotate secret", "Give <strong>" + esc(id)
                + "</strong> a new secret? The current one stops working at once.", ctx.req().path(), "Rotate secret", PATH);
    }

    WebResponse rotate(Console.Ctx ctx) {
        ClientAdmin.Saved saved = clients.as(ctx.actor()).rotateSecret(ctx.req().pathParameter("client_id"));
        String id = saved.client().id().value();
        saved.newSecret().ifPresent(secret -> ctx.session().secret(id, secret));
        ctx.session().flash("Client " + id + " has a new secret.");
        return redirect(PATH);
    }
}
