package io.gatehouse.admin.console;

import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.KeyRing;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.http.WebResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.gatehouse.admin.console.ConsolePage.*;
import static io.gatehouse.http.Html.esc;

/** Signing keys: the list (public facts only) and a rotation of every algorithm after a confirmation. */
final class KeysPage {
    static final String PATH = Console.BASE + "/keys";
    static final String ROTATE = PATH + "/rotate";

    private final KeyRotation keys;

    KeysPage(KeyRotation keys) {
        this.keys = keys;
    }

    WebResponse list(Console.Ctx ctx) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<p>").append(link(ROTATE, "Rotate keys", "button danger")).append("</p>");
        b.append("<div class=\"table\"><table><thead><tr><th>Key id</th><th>Alg</th><th>State</th><th>Created</th><th>Signs from / retired</th></tr></thead><tbody>");
        for (StoredKey k : keys.list()) {
            b.append("<tr><td data-label=\"Key id\"><code>").append(esc(k.kid())).append("</code></td><td data-label=\"Alg\">")
                    .append(k.alg().name()).append("</td><td data-label=\"State\"><span class=\"badge ")
                    .append(k.state().name().toLowerCase(Locale.ROOT)).append("\">").append(k.state().name().toLowerCase(Locale.ROOT))
                    .append("</span></td><td data-label=\"Created\">").append(time(Optional.of(k.createdAt())))
                    .append("</td><td data-label=\"Signs from / retired\">")
                    .append(k.state() == State.NEXT ? time(Optional.of(KeyRing.promotableAt(k, keys.policy()))) : time(k.retiredAt()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return page(200, ctx.session(), "/keys", "Signing keys", b.toString());
    }

    WebResponse confirmRotate(Console.Ctx ctx) {
        return confirm(ctx.session(), "/keys", "Rotate keys", "Create a next key for every algorithm? It is published at once "
                + "and signs from when caches have seen it; the current keys retire then.", ROTATE, "Rotate keys", PATH);
    }

    /** Like {@code POST /admin/api/v1/keys/rotate} without a body: nothing is rotated when any algorithm has a next key. */
    WebResponse rotate(Console.Ctx ctx) {
        KeyRing ring = new KeyRing(keys.list());
        for (SigningAlg a : SigningAlg.values()) {
            ring.next(a).ifPresent(n -> {
                throw AdminException.conflict("a next " + a + " key exists already (" + n.kid() + "); it signs from "
                        + KeyRing.promotableAt(n, keys.policy()));
            });
        }
        List<String> created = new ArrayList<>();
        for (SigningAlg a : SigningAlg.values()) {
            try {
                created.add(keys.rotate(a, ctx.actor()).kid());
            } catch (KeyRotation.Refused e) {
                throw AdminException.conflict(e.getMessage());
            }
        }
        ctx.session().flash("New keys: " + String.join(", ", created) + ".");
        return redirect(PATH);
    }

    private static String time(Optional<Instant> t) {
        return t.map(i -> "<time datetime=\"" + i + "\">" + i.toString().replace('T', ' ').replaceAll("\\.\\d+", "") + "</time>")
                .orElse("");
    }
}
