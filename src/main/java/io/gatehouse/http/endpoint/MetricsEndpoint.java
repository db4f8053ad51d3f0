package io.gatehouse.http.endpoint;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;

/**
 * GET /metrics on the management listener: every meter in the Prometheus text exposition format (only routed when
 * metrics are on).
 */
public final class MetricsEndpoint implements Endpoint {
    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;

    public MetricsEndpoint(Metrics metrics) {
        this.metrics = metrics;
    }

    /** For a registry that is still being set up (the listener answers before start-up ends): 503 until it is there. */
    public static Endpoint late(java.util.function.Supplier<Metrics> metrics) {
        return new Endpoint() {
            @Override
            public WebResponse handle(WebRequest req) {
                Metrics m = metrics.get();
                return m == null ? unavailable(1) : new MetricsEndpoint(m).handle(req);
            }
        };
    }

    @Override
    public WebResponse handle(WebRequest req) {
        return metrics.scrape()
                .map(text -> WebResponse.of(200, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8)).with("Cache-Control", "no-store"))
                .orElseGet(() -> WebResponse.empty(404));
    }
}
