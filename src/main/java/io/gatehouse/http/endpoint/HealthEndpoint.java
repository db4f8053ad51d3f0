package io.gatehouse.http.endpoint;

import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /health/live} and {@code GET /health/ready} on the management listener. Live: 200
 * {@code {"status":"UP"}} while the process can answer at all. Ready: 200 {@code {"status":"UP","checks":{...}}} when
 * every check passes within {@link #TIMEOUT}, else 503 with {@code "status":"DOWN"} and the failing check's reason
 * (a fixed text, never a message from the database or a secret); also 503 while starting and while stopping.
 *
 * <p>A check runs on a thread of its own and the answer waits for it at most {@link #TIMEOUT}. A check still running
 * from an earlier probe is awaited instead of started again, so a hanging database never piles up threads however
 * often the probes come.
 */
public final class HealthEndpoint {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** One readiness check: empty when fine, else a short fixed reason. */
    @FunctionalInterface
    public interface Check {
        Optional<String> run();
    }

    private volatile Map<String, Flight> checks;  // null while starting
    private volatile boolean stopping;

    /** The checks of {@link #READY} (in answer order); until this is called, ready answers 503 "starting". */
    public void ready(Map<String, Check> named) {
        Map<String, Flight> m = new LinkedHashMap<>();
        named.forEach((name, check) -> m.put(name, new Flight(check)));
        checks = m;
    }

    /** The server is stopping: ready answers 503 from now on (a load balancer takes the node out). */
    public void stopping() {
        stopping = true;
    }

    public WebResponse live(WebRequest req) {
        return answer(true, null);
    }

    public WebResponse ready(WebRequest req) {
        Map<String, Flight> current = checks;
        if (stopping) return answer(false, Map.of("server", down("stopping")));
        if (current == null) return answer(false, Map.of("server", down("starting")));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, CompletableFuture<Optional<String>>> running = new LinkedHashMap<>();
        current.forEach((name, flight) -> running.put(name, flight.start()));
        Map<String, Object> results = new LinkedHashMap<>();
        boolean up = true;
        for (var e : running.entrySet()) {
            Optional<String> failure;
            try {
                failure = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException t) {
                failure = Optional.of("no answer within " + TIMEOUT.toMillis() + " ms");
            } catch (ExecutionException x) {
                failure = Optional.of("check failed");
            } catch (InterruptedException i) {
                Thread.currentThread().interrupt();
                failure = Optional.of("interrupted");
            }
            results.put(e.getKey(), failure.map(HealthEndpoint::down).orElse(Map.of("status", "UP")));
            up &= failure.isEmpty();
        }
        return answer(up, results);
    }

    private static Map<String, String> down(String reason) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", "DOWN");
        m.put("reason", reason);
        return m;
    }

    private static WebResponse answer(boolean up, Map<String, ?> checks) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (checks != null) body.put("checks", checks);
        return WebResponse.json(up ? 200 : 503, Json.write(body)).with("Cache-Control", "no-store");
    }

    /** One check, run at most once at a time. */
    private static final class Flight {
        private final Check check;
        private final AtomicReference<CompletableFuture<Optional<String>>> inFlight = new AtomicReference<>();

        Flight(Check check) {
            this.check = check;
        }

        CompletableFuture<Optional<String>> start() {
            while (true) {
                CompletableFuture<Optional<String>> f = inFlight.get();
                if (f != null && !f.isDone()) return f;
                CompletableFuture<Optional<String>> next = new CompletableFuture<>();
                if (inFlight.compareAndSet(f, next)) {
                    Thread.ofVirtual().name("gatehouse-health-check").start(() -> run(next));
                    return next;
                }
            }
        }

        private void run(CompletableFuture<Optional<String>> f) {
            try {
                f.complete(check.run());
            } catch (RuntimeException e) {
                f.complete(Optional.of("check failed (" + e.getClass().getSimpleName() + ")"));
            }
        }
    }
}
