package io.gatehouse.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the endpoints see it, independent of the web library.
 *
 * @param path      the raw request path (not decoded)
 * @param rawQuery  the raw query string without '?', empty when none
 * @param headers   lower-cased header names to their values
 * @param body      the request body, at most the server's limit; see {@link #body()}
 * @param remoteAddress the client's address: the peer, or the client a trusted proxy named ({@link ClientAddresses})
 * @param pathParameters the values of a route's {@code {name}} segments, percent-decoded ({@link Router})
 */
public record WebRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                         byte[] body, boolean bodyTooLarge, String remoteAddress, boolean secure,
                         Map<String, String> pathParameters) {

    /** Thrown by {@link #body()} when the body was over the limit; the server answers 413. */
    public static final class PayloadTooLarge extends RuntimeException {
        public PayloadTooLarge() {
            super("request body too large", null, false, false);
        }
    }

    public WebRequest {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    }

    /** A request of a route without path parameters. */
    public WebRequest(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
                      boolean bodyTooLarge, String remoteAddress, boolean secure) {
        this(method, path, rawQuery, headers, body, bodyTooLarge, remoteAddress, secure, Map.of());
    }

    /** A path parameter of the route (see {@link Router}); the route guarantees it is there. */
    public String pathParameter(String name) {
        String v = pathParameters.get(name);
        if (v == null) throw new IllegalStateException("the route has no parameter " + name);
        return v;
    }

    public byte[] body() {
        if (bodyTooLarge) throw new PayloadTooLarge();
        return body;
    }

    /** The same request attributed to another address (the client a trusted proxy named). */
    public WebRequest withRemoteAddress(String address) {
        return new WebRequest(method, path, rawQuery, headers, body, bodyTooLarge, address, secure, pathParameters);
    }

    WebRequest withPathParameters(Map<String, String> parameters) {
        return new WebRequest(method, path, rawQuery, headers, body, bodyTooLarge, remoteAddress, secure, parameters);
    }

    /** The first value of a header (name in any case). */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /**
     * The credentials of the one {@code Authorization} header when its scheme is {@code Bearer} (any case, RFC 6750
     * §2.1), stripped and possibly empty; empty when the header is absent, repeated or of another scheme. The one
     * place that reads a Bearer header: each endpoint decides what a missing or malformed token gets.
     */
    public Optional<String> bearer() {
        List<String> authz = headerValues("authorization");
        if (authz.size() != 1 || !authz.getFirst().regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        return Optional.of(authz.getFirst().substring(7).strip());
    }

    /** The media type of the body without parameters, lower-cased; empty when absent. */
    public String mediaType() {
        String ct = header("content-type").orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "WebRequest[" + method + " " + path + "]";
    }
}
