package io.gatehouse.admin.console;

import io.gatehouse.core.port.KeyStore;
import io.gatehouse.http.MinuteRing;
import io.gatehouse.http.WebResponse;

import java.util.Optional;

/** {@code GET /admin}: counts at a glance and the last hour's tokens issued and failed authentications, per minute. */
final class DashboardPage {
    static final int W = 600;
    static final int H = 160;
    private static final int LIMIT = 1000;

    private final Console.Services services;

    DashboardPage(Console.Services services) {
        this.services = services;
    }

    WebResponse render(Console.Ctx ctx) {
        var a = services.admin();
        int clients = a.clients().list(Optional.empty(), LIMIT + 1).size();
        int users = a.users().list(Optional.empty(), LIMIT + 1).size();
        long active = a.keys().list().stream().filter(k -> k.state() == KeyStore.State.ACTIVE).count();
        long[] tokens = services.metrics().tokensIssued().lastHour();
        long[] failures = services.metrics().failedAuthentications().lastHour();
        StringBuilder b = new StringBuilder(8192);
        b.append("<div class=\"stats\">").append(stat("Clients", count(clients), "/clients")).append(stat("Users", count(users), "/users"))
                .append(stat("Active keys", Long.toString(active), "/keys"))
                .append(stat("Tokens, last hour", Long.toString(sum(tokens)), ""))
                .append(stat("Failed authentications, last hour", Long.toString(sum(failures)), "/audit")).append("</div>");
        b.append("<section class=\"card\"><h2>Per minute, last hour</h2>").append(chart(tokens, failures))
                .append("<p class=\"legend\"><span class=\"key tokens\"></span>tokens issued <span class=\"key failures\"></span>"
                        + "failed authentications (wrong passwords, invalid_client)</p></section>");
        return ConsolePage.page(200, ctx.session(), "", "Dashboard", b.toString());
    }

    private static String count(int n) {
        return n > LIMIT ? LIMIT + "+" : Integer.toString(n);
    }

    private static String stat(String label, String value, String href) {
        String v = "<span class=\"value\">" + value + "</span><span class=\"label\">" + label + "</span>";
        return href.isEmpty() ? "<div class=\"stat\">" + v + "</div>"
                : "<a class=\"stat\" href=\"" + Console.BASE + href + "\">" + v + "</a>";
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) s += x;
        return s;
    }

    /** A server-rendered SVG line chart of two series on one scale (no script, no inline style). */
    static String chart(long[] tokens, long[] failures) {
        long max = 1;
        for (int i = 0; i < tokens.length; i++) max = Math.max(max, Math.max(tokens[i], failures[i]));
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H + 20)
                .append("\" role=\"img\" aria-label=\"Tokens issued and failed authentications per minute, last hour\">");
        for (int g = 0; g <= 4; g++) {
            int y = 10 + g * (H - 20) / 4;
            b.append("<line class=\"grid\" x1=\"40\" x2=\"").append(W).append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>");
        }
        b.append("<text x=\"34\" y=\"14\" text-anchor=\"end\">").append(max).append("</text>")
                .append("<text x=\"34\" y=\"").append(H - 6).append("\" text-anchor=\"end\">0</text>")
                .append("<text x=\"40\" y=\"").append(H + 14).append("\">60 min ago</text>")
                .append("<text x=\"").append(W).append("\" y=\"").append(H + 14).append("\" text-anchor=\"end\">now</text>");
        line(b, "tokens", tokens, max);
        line(b, "failures", failures, max);
        return b.append("</svg>").toString();
    }

    private static void line(StringBuilder b, String cls, long[] v, long max) {
        b.append("<polyline class=\"").append(cls).append("\" fill=\"none\" points=\"");
        for (int i = 0; i < v.length; i++) {
            long x = 40 + (long) i * (W - 40) / (v.length - 1);
            long y = 10 + (H - 20) - v[i] * (H - 20) / max;
            b.append(x).append(',').append(y).append(' ');
        }
        b.append("\"><title>").append(cls).append("</title></polyline>");
    }
}
