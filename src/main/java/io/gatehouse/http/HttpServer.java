package io.gatehouse.http;

import io.gatehouse.config.HttpConfig;
import io.gatehouse.http.tls.ServerTls;
import io.helidon.common.tls.Tls;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one class that knows the web library (Helidon SE 4, virtual threads), with {@link HttpConnections}. It turns
 * requests into {@link WebRequest}s with the body read up to a limit, dispatches to the {@link Router}, and turns
 * anything unexpected into a 500 with a fixed text and a correlation id in the log, never a trace.
 *
 * <p>Abuse bounds (see {@link HttpConfig}): request heads, bodies and idle keep-alive connections have deadlines
 * ({@link ConnectionGuard}); open connections, requests in processing and buffered body bytes have maxima. A body
 * that times out is answered 408, one cut off by the client 400, both with one DEBUG line and the connection closed;
 * counts of both go into one INFO line per minute at most.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final WebServer server;
    private final ConnectionGuard guard;
    private final String name;
    private final ServerTls tls;  // null: plain http

    private HttpServer(WebServer server, ConnectionGuard guard, String name, ServerTls tls) {
        this.server = server;
        this.guard = guard;
        this.name = name;
        this.tls = tls;
    }

    /** What one listener enforces. */
    private record Limits(int maxBody, Semaphore processing, ConnectionGuard guard) {
    }

    /**
     * Binds and starts one listener; throws {@link java.io.UncheckedIOException} wrapping a {@link BindException}
     * (whose message names {@code name}, host and port) when the port is taken.
     *
     * @param name   "public" or "management": the log names it, and the bind error
     */
    public static HttpServer start(String name, String host, int port, Router router, int maxBodyBytes, HttpConfig config) {
        return start(name, host, port, router, maxBodyBytes, config, null);
    }

    /**
     * The same with https: {@code tls} (null for plain http) is then owned by the listener, closed with it or when
     * the start fails.
     */
    public static HttpServer start(String name, String host, int port, Router router, int maxBodyBytes, HttpConfig config,
                                   ServerTls tls) {
        try {
            if (port != 0) probe(name, host, port);  // a clear error instead of the web library's logged trace
        } catch (RuntimeException e) {
            if (tls != null) tls.close();
            throw e;
        }
        ConnectionGuard guard = new ConnectionGuard(name, config);
        Limits limits = new Limits(maxBodyBytes, new Semaphore(config.maxConcurrentRequests()), guard);
        // Authorization requests carry long query strings (a 2 KB state, PKCE, nonce): allow 32 KB.
        Http1Config http1 = Http1Config.builder().maxPrologueLength(32 * 1024).build();
        WebServer server;
        try {
            var builder = WebServer.builder();
            // the web library hands this context each accepted connection before its handshake (see ConnectionGuard)
            if (tls != null) {
                builder.tls(Tls.builder().sslContext(tls.context(guard::handshaking)).sslParameters(tls.parameters()).build());
            }
            server = builder
                    .host(host)
                    .port(port)
                    .shutdownHook(false)
                    .maxPayloadSize(-1)  // bodies over max-body-bytes get 413 from us, in the endpoint's error shape
                    .maxTcpConnections(config.maxConnections())
                    // The guard closes idle connections; the library's own check is only a backstop.
                    .idleConnectionTimeout(config.idleTimeout().plus(config.headerTimeout()))
                    // Ours is the only connection selector (no discovered HTTP/1 one): then the library hands each
                    // connection over at once, before reading from it (see HttpConnections).
                    .useNio(false)
                    .protocolsDiscoverServices(false)
                    .addConnectionSelector(new HttpConnections(http1, guard))
                    .routing(r -> r.any((req, res) -> handle(router, limits, req, res)))
                    .build();
            server.start();
        } catch (RuntimeException e) {
            guard.close();
            if (tls != null) tls.close();
            throw e;
        }
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            guard.close();
            if (tls != null) tls.close();
            throw new java.io.UncheckedIOException(bindError(name, host, port, null));
        }
        return new HttpServer(server, guard, name, tls);
    }

    private static void probe(String name, String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(bindError(name, host, port, e));
        }
    }

    private static BindException bindError(String name, String host, int port, IOException cause) {
        BindException be = new BindException(name.equals("public")
                ? "port " + port + " on " + host + " is already in use or not available"
                : name + " port " + port + " on " + host + " is already in use or not available (set management-port, "
                        + "or management-enabled: false)");
        if (cause != null) be.initCause(cause);
        return be;
    }

    public int port() {
        return server.port();
    }

    /** "https" when the listener serves TLS, else "http". */
    public String scheme() {
        return tls == null ? "http" : "https";
    }


    /** Connections this listener has open now. */
    public int openConnections() {
        return guard.openConnections();
    }

    /** The listener's name ("public", "management") and its connection events, for {@link Metrics#listener}. */
    String name() {
        return name;
    }

    ConnectionGuard.Events events() {
        return guard.events;
    }

    @Override
    public void close() {
        server.stop();
        guard.close();
        if (tls != null) tls.close();
        LOG.debug("{} listener stopped", name);
    }

    private static void handle(Router router, Limits limits, ServerRequest req, ServerResponse res) {
        ConnectionGuard.Watch watch = ConnectionGuard.current();
        boolean hasBody = req.content().hasEntity();
        if (watch != null && !watch.headReceived(hasBody)) throw new CloseConnectionException("timed out");
        RequestBody.Body body = RequestBody.Body.NONE;
        if (hasBody) {
            // Waiting for buffer room ends a second after the body deadline: the watchdog answers 408 at the deadline.
            long deadline = (watch != null ? watch.bodyDeadline() : System.nanoTime() + TimeUnit.SECONDS.toNanos(30))
                    + TimeUnit.SECONDS.toNanos(1);
            try {
                body = RequestBody.read(req.content().inputStream(), req.headers().contentLength().orElse(-1),
                        limits.maxBody, limits.guard.buffered, deadline,
                        () -> limits.guard.events.record(ConnectionGuard.Events.Kind.BUFFER_WAIT));
            } catch (RequestBody.Failed f) {
                bodyFailed(router, limits.guard, watch, f, req, res);
            }
        }
        try {
            if (watch != null && !watch.bodyDone()) throw new CloseConnectionException("timed out");
            boolean close = !body.consumed() || req.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
            WebResponse out = router.finish(dispatch(router, limits, toWebRequest(req, body), req));
            send(res, out, close);
            if (watch != null) watch.responded();
            // RFC 9112 section 9.6: the server closes after answering a request with "Connection: close" (the web
            // library would wait for the client to close); after a 413 for a body too large even to read and throw
            // away, so that the rest of it is not taken for the next request.
            if (close) throw new CloseConnectionException("connection close");
        } finally {
            body.release();
        }
    }

    private static WebResponse dispatch(Router router, Limits limits, WebRequest request, ServerRequest req) {
        boolean slot;
        try {
            slot = limits.processing.tryAcquire(HttpConfig.QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloseConnectionException("interrupted", e);
        }
        if (!slot) {
            limits.guard.events.record(ConnectionGuard.Events.Kind.BUSY);
            return Router.error(503, Unavailable.CODE, "Too many requests in progress; retry later").with("Retry-After", "1");
        }
        try {
            return router.dispatch(request);
        } catch (WebRequest.PayloadTooLarge e) {
            return Router.error(413, "invalid_request", "The request body is larger than " + limits.maxBody + " bytes");
        } catch (RuntimeException | Error e) {
            String id = UUID.randomUUID().toString();
            LOG.error("unexpected error handling {} {} [ref {}]", req.prologue().method().text(),
                    req.path().rawPath(), id, e);
            return Router.error(500, "server_error", "Internal error (ref " + id + ")");
        } finally {
            limits.processing.release();
        }
    }

    /**
     * The body did not arrive: whoever took the connection out of the body phase answers (the watchdog has already
     * sent 408 when the deadline passed first), with one DEBUG line; the connection is closed either way.
     */
    private static void bodyFailed(Router router, ConnectionGuard guard, ConnectionGuard.Watch watch, RequestBody.Failed f,
                                   ServerRequest req, ServerResponse res) {
        if (watch == null || watch.bodyDone()) {
            String peer = peer(req);
            WebResponse out;
            if (f.timedOut) {
                guard.events.record(ConnectionGuard.Events.Kind.BODY_TIMEOUT);
                LOG.debug("request body from {} not complete within {}: answered 408", peer, guard.bodyTimeoutText());
                out = Router.error(408, "request_timeout", "The request body did not arrive within " + guard.bodyTimeoutText());
            } else {
                guard.events.record(ConnectionGuard.Events.Kind.ABORTED_BODY);
                LOG.debug("request body from {} cut off after {} bytes ({})", peer, f.received,
                        f.getCause() == null ? "end of stream" : f.getCause().getClass().getSimpleName());
                out = Router.error(400, "invalid_request", "The request body is incomplete");
            }
            try {
                send(res, router.finish(out), true);
            } catch (RuntimeException e) {
                // the client is gone
            }
        }
        throw new CloseConnectionException("request body failed");
    }

    private static void send(ServerResponse res, WebResponse out, boolean close) {
        res.status(out.status());
        // One call per name with all its values: the web library's header(name, value) replaces earlier values, which
        // kept only the last of several Set-Cookie headers. Several values go out as separate header lines.
        Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
        for (WebResponse.Header h : out.headers()) {
            byName.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(h.value());
        }
        for (WebResponse.Header h : out.headers()) {
            List<String> values = byName.remove(h.name().toLowerCase(Locale.ROOT));
            if (values != null) res.header(h.name(), values.toArray(String[]::new));
        }
        if (close) res.header("Connection", "close");
        res.send(out.body());
    }

    private static String peer(ServerRequest req) {
        PeerInfo peer = req.remotePeer();
        return peer.address() instanceof InetSocketAddress isa && isa.getAddress() != null
                ? isa.getAddress().getHostAddress() : "";
    }

    private static WebRequest toWebRequest(ServerRequest req, RequestBody.Body body) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Header h : req.headers()) {
            headers.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).addAll(h.allValues());
        }
        String query = req.prologue().query().rawValue();
        return new WebRequest(req.prologue().method().text(), req.path().rawPath(), query == null ? "" : query,
                headers, body.tooLarge() ? null : body.bytes(), body.tooLarge(), peer(req), req.isSecure());
    }
}
