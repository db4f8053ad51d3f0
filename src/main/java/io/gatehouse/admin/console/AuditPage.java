package io.gatehouse.admin.console;

import io.gatehouse.core.model.AuditEvent;
import io.gatehouse.core.port.AuditEventStore;
import io.gatehouse.http.Form;
import io.gatehouse.http.WebResponse;

import java.util.List;
import java.util.Optional;

import static io.gatehouse.admin.console.ConsolePage.page;
import static io.gatehouse.http.Html.esc;

/** The audit log: the newest {@value #LIMIT} events, optionally of one type. */
final class AuditPage {
    static final int LIMIT = 100;

    private final AuditEventStore events;

    AuditPage(AuditEventStore events) {
        this.events = events;
    }

    WebResponse list(Console.Ctx ctx) {
        Optional<AuditEvent.Type> type = Optional.empty();
        try {
            List<String> t = Form.parse(ctx.req().rawQuery()).all("type");
            if (t.size() == 1) type = AuditEvent.Type.fromWire(t.getFirst());
        } catch (Form.FormException e) {
            // an unreadable filter: show everything
        }
        StringBuilder b = new StringBuilder(16384);
        b.append("<form method=\"get\" action=\"").append(Console.BASE).append("/audit\" class=\"filter\"><label for=\"type\">Type</label>")
                .append("<select id=\"type\" name=\"type\"><option value=\"\">all</option>");
        for (AuditEvent.Type t : AuditEvent.Type.values()) {
            b.append("<option").append(type.equals(Optional.of(t)) ? " selected" : "").append('>').append(t.wireName()).append("</option>");
        }
        b.append("</select><button type=\"submit\" class=\"small\">Filter</button></form>");
        List<AuditEvent> list = events.list(new AuditEventStore.Query(Optional.empty(), Optional.empty(), type, Optional.empty(),
                Optional.empty(), LIMIT));
        b.append("<div class=\"table\"><table><thead><tr><th>Time</th><th>Type</th><th>Actor</th><th>Subject</th><th>Detail</th></tr></thead><tbody>");
        for (AuditEvent e : list) {
            b.append("<tr><td data-label=\"Time\"><time datetime=\"").append(e.time()).append("\">")
                    .append(e.time().toString().replace('T', ' ').replaceAll("\\.\\d+", "")).append("</time></td><td data-label=\"Type\">")
                    .append(e.type().wireName()).append("</td><td data-label=\"Actor\">").append(esc(e.actor().orElse("")))
                    .append("</td><td data-label=\"Subject\">").append(esc(e.subject().orElse(""))).append("</td><td data-label=\"Detail\">")
                    .append(esc(e.detail())).append("</td></tr>");
        }
        if (list.isEmpty()) b.append("<tr><td colspan=\"5\">No events.</td></tr>");
        b.append("</tbody></table></div>");
        return page(200, ctx.session(), "/audit", "Audit log", b.toString());
    }
}
