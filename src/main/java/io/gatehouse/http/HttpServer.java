package io.gatehouse.http;

import io.helidon.common.socket.PeerInfo;
import io.helidon.http.Header;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The one class that knows the web library (Helidon SE 4, virtual threads). It turns requests into
 * {@link WebRequest}s with the body read up to a limit, dispatches to the {@link Router}, and turns
 * anything unexpected into a 500 with a fixed text and a correlation id in the log, never a trace.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final WebServer server;

    private HttpServer(WebServer server) {
        this.server = server;
    }

    /** Binds and starts; throws {@link java.io.UncheckedIOException} wrapping the bind error when the port is taken. */
    public static HttpServer start(String host, int port, Router router, int maxBodyBytes) {
        if (port != 0) probe(host, port);  // a clear error instead of the web library's logged trace
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .maxPayloadSize(64L * 1024 * 1024)
                // Authorization requests carry long query strings (a 2 KB state, PKCE, nonce): allow 32 KB.
                .addProtocol(io.helidon.webserver.http1.Http1Config.builder().maxPrologueLength(32 * 1024).build())
                .routing(r -> r.any((req, res) -> handle(router, maxBodyBytes, req, res)))
                .build();
        server.start();
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            throw new java.io.UncheckedIOException(new BindException("cannot listen on " + host + ":" + port));
        }
        return new HttpServer(server);
    }

    private static void probe(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            BindException be = new BindException("cannot listen on " + host + ":" + port);
            be.initCause(e);
            throw new java.io.UncheckedIOException(be);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static void handle(Router router, int maxBody, ServerRequest req, ServerResponse res) {
        WebResponse out;
        try {
            out = router.dispatch(toWebRequest(req, maxBody));
        } catch (WebRequest.PayloadTooLarge e) {
            out = Router.error(413, "invalid_request", "The request body is larger than " + maxBody + " bytes");
        } catch (RuntimeException | Error e) {
            String id = UUID.randomUUID().toString();
            LOG.error("unexpected error handling {} {} [ref {}]", req.prologue().method().text(),
                    req.path().rawPath(), id, e);
            out = Router.error(500, "server_error", "Internal error (ref " + id + ")");
        }
        res.status(out.status());
        for (WebResponse.Header h : out.headers()) {
            res.header(h.name(), h.value());
        }
        res.send(out.body());
    }

    private static WebRequest toWebRequest(ServerRequest req, int maxBody) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Header h : req.headers()) {
            headers.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).addAll(h.allValues());
        }
        byte[] body = null;
        boolean tooLarge = false;
        if (req.content().hasEntity()) {
            long declared = req.headers().contentLength().orElse(-1);
            if (declared > maxBody) {
                tooLarge = true;
            } else {
                try (InputStream in = req.content().inputStream()) {
                    body = in.readNBytes(maxBody + 1);
                    if (body.length > maxBody) {
                        tooLarge = true;
                        body = null;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        String addr = "";
        PeerInfo peer = req.remotePeer();
        if (peer.address() instanceof InetSocketAddress isa && isa.getAddress() != null) {
            addr = isa.getAddress().getHostAddress();
        }
        String query = req.prologue().query().rawValue();
        return new WebRequest(req.prologue().method().text(), req.path().rawPath(), query == null ? "" : query,
                headers, body, tooLarge, addr, req.isSecure());
    }

}
