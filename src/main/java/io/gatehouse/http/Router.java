package io.gatehouse.http;

import io.gatehouse.core.port.StoreUnavailableException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routing table: path to method to endpoint. Unknown path: 404; known path, other method: 405. A path may have
 * parameters, whole segments written {@code {name}} (e.g. {@code /admin/api/v1/clients/{client_id}}): a segment of the
 * request matches one when it is not empty, and the endpoint finds it percent-decoded (UTF-8) in
 * {@link WebRequest#pathParameters()}, so {@code %2F} carries a slash. Exact paths are looked up first, in one map;
 * then the paths with parameters, in the order they were added.
 */
public final class Router {
    private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();
    private final List<Template> templates = new ArrayList<>();

    /** A path with parameters: its segments, null where a parameter is, and the parameters' names. */
    private record Template(String path, String[] literals, String[] names, Map<String, Endpoint> byMethod) {
        static Template of(String path, Map<String, Endpoint> byMethod) {
            String[] parts = path.substring(1).split("/", -1);
            String[] literals = new String[parts.length];
            String[] names = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) names[i] = parts[i].substring(1, parts[i].length() - 1);
                else literals[i] = parts[i];
            }
            return new Template(path, literals, names, byMethod);
        }

        /** The decoded parameters when the raw path matches; null when it does not (or a segment is not valid UTF-8). */
        Map<String, String> match(String rawPath) {
            if (rawPath.isEmpty() || rawPath.charAt(0) != '/') return null;
            String[] parts = rawPath.substring(1).split("/", -1);
            if (parts.length != literals.length) return null;
            Map<String, String> params = null;
            for (int i = 0; i < parts.length; i++) {
                if (literals[i] != null) {
                    if (!literals[i].equals(parts[i])) return null;
                } else {
                    String v = parts[i].isEmpty() ? null : percentDecode(parts[i]);
                    if (v == null) return null;
                    if (params == null) params = new LinkedHashMap<>();
                    params.put(names[i], v);
                }
            }
            return params == null ? Map.of() : params;
        }
    }
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
        Map<String, Endpoint> byMethod = path.contains("{") ? template(path) : routes.computeIfAbsent(path, p -> new TreeMap<>());
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
        return routes.containsKey(path) || templates.stream().anyMatch(t -> t.path.equals(path));
    }

    public java.util.Set<String> paths() {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(routes.keySet());
        for (Template t : templates) all.add(t.path);
        return all;
    }

    /** Every route: path (as added, with its {@code {name}} parameters) to its methods (HEAD included with GET). */
    public Map<String, java.util.Set<String>> routes() {
        Map<String, java.util.Set<String>> out = new LinkedHashMap<>();
        routes.forEach((p, m) -> out.put(p, java.util.Set.copyOf(m.keySet())));
        for (Template t : templates) out.put(t.path, java.util.Set.copyOf(t.byMethod.keySet()));
        return out;
    }

    private Map<String, Endpoint> template(String path) {
        for (Template t : templates) {
            if (t.path.equals(path)) return t.byMethod;
        }
        Template t = Template.of(path, new TreeMap<>());
        templates.add(t);
        return t.byMethod;
    }

    public WebResponse dispatch(WebRequest received) {
        WebRequest req = addresses.resolve(received);
        if (!ready) {
            return error(503, "temporarily_unavailable", "Starting up").with("Retry-After", "1");
        }
        Map<String, Endpoint> byMethod = routes.get(req.path());
        if (byMethod == null) {
            for (Template t : templates) {
                Map<String, String> params = t.match(req.path());
                if (params != null) {
                    byMethod = t.byMethod;
                    req = req.withPathParameters(params);
                    break;
                }
            }
        }
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

    /** RFC 3986 percent-decoding of a path segment as UTF-8; null when malformed (a bad escape, not UTF-8). */
    static String percentDecode(String segment) {
        boolean plain = true;
        for (int i = 0; i < segment.length() && plain; i++) {
            char c = segment.charAt(i);
            plain = c != '%' && c > 0x20 && c < 0x7F;
        }
        if (plain) return segment;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) return null;
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c <= 0x20 || c > 0x7E) {
                return null;
            } else {
                out.write(c);
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    static WebResponse error(int status, String code, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return WebResponse.json(status, Json.write(body)).noStore();
    }
}
