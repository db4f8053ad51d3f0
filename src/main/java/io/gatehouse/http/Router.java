package io.gatehouse.http;

import io.gatehouse.core.port.StoreUnavailableException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Exact-path routing table: path to method to endpoint. Unknown path: 404; known path, other method: 405. */
public final class Router {
    private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();
    private volatile boolean ready;
    private volatile ClientAddresses addresses = ClientAddresses.peerOnly();
    private volatile java.util.List<WebResponse.Header> always = java.util.List.of();

    /** How requests are attributed to client addresses (trusted proxies); the peer address by default. */
    public Router clientAddresses(ClientAddresses a) {
        this.addresses = a;
        return this;
    }

    /**
     * A header every answer carries from now on, whatever answers it (an endpoint, a 404, a 503 while busy): e.g.
     * {@code Strict-Transport-Security} when the issuer is https.
     */
    public Router alwaysHeader(String name, String value) {
        var h = new java.util.ArrayList<>(always);
        h.add(new WebResponse.Header(name, value));
        always = java.util.List.copyOf(h);
        return this;
    }

    /** {@code r} with the {@link #alwaysHeader}s added: the server adapter calls it for every answer it sends. */
    public WebResponse finish(WebResponse r) {
        java.util.List<WebResponse.Header> h = always;
        if (h.isEmpty()) return r;
        var all = new java.util.ArrayList<>(r.headers());
        all.addAll(h);
        return new WebResponse(r.status(), all, r.body());
    }

    /** Routes are complete: start answering (before this, every request gets 503). */
    public void ready() {
        ready = true;
    }

    public Router add(String method, String path, Endpoint endpoint) {
        Map<String, Endpoint> byMethod = routes.computeIfAbsent(path, p -> new TreeMap<>());
        if (byMethod.putIfAbsent(method, endpoint) != null) {
            throw new IllegalArgumentException("route " + method + " " + path + " is defined twice");
        }
        if (method.equals("GET")) byMethod.putIfAbsent("HEAD", endpoint);
        return this;
    }

    public Router get(String path, Endpoint e) {
        return add("GET", path, e);
    }

    public Router post(String path, Endpoint e) {
        return add("POST", path, e);
    }

    public boolean has(String path) {
        return routes.containsKey(path);
    }

    public java.util.Set<String> paths() {
        return routes.keySet();
    }

    public WebResponse dispatch(WebRequest received) {
        WebRequest req = addresses.resolve(received);
        if (!ready) {
            return error(503, "temporarily_unavailable", "Starting up").with("Retry-After", "1");
        }
        Map<String, Endpoint> byMethod = routes.get(req.path());
        if (byMethod == null) {
            return error(404, "not_found", "No such endpoint");
        }
        Endpoint e = byMethod.get(req.method());
        if (e == null) {
            if (req.method().equals("OPTIONS")) {
                return WebResponse.empty(204).with("Allow", String.join(", ", byMethod.keySet()));
            }
            return error(405, "invalid_request", "Method not allowed").with("Allow", String.join(", ", byMethod.keySet()));
        }
        try {
            return e.handle(req);
        } catch (StoreUnavailableException u) {
            Unavailable.log(u);
            return e.unavailable(u.retryAfterSeconds());
        }
    }

    static WebResponse error(int status, String code, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return WebResponse.json(status, Json.write(body)).noStore();
    }
}
