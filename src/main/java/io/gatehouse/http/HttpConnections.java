package io.gatehouse.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The web library's side of {@link ConnectionGuard} and {@link Http10} (part of the server adapter with
 * {@link HttpServer}). The listener's only connection selector: with a single selector the library hands over each
 * accepted connection at once, before reading a byte, on the connection's own thread. The connection gets a reader of
 * its own over the socket, which tells the guard when bytes arrive and turns an HTTP/1.0 first request into HTTP/1.1,
 * and then the library's HTTP/1.1 connection runs on it.
 */
final class HttpConnections implements ServerConnectionSelector {
    private final ServerConnectionSelector http1;
    private final ConnectionGuard guard;

    HttpConnections(Http1Config http1, ConnectionGuard guard) {
        this.http1 = Http1ConnectionSelector.builder().config(http1).build();
        this.guard = guard;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    /**
     * What TLS clients may choose with ALPN: HTTP/1.1, and HTTP/1.0 (served through {@link Http10}). A client that
     * offers only protocols the server does not know fails its handshake (JSSE), so HTTP/1.0 is named too: {@code curl
     * --http1.0} offers nothing else.
     */
    @Override
    public Set<String> supportedApplicationProtocols() {
        Set<String> protocols = new java.util.LinkedHashSet<>(http1.supportedApplicationProtocols());
        protocols.add("http/1.0");
        return protocols;
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        Guarded g = new Guarded(ctx);
        g.watch = guard.open(g);
        return new Connection(http1.connection(g), g);
    }

    /** The library's HTTP/1.1 connection, with the watch ended when it ends. */
    private record Connection(ServerConnection delegate, Guarded ctx) implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                ctx.watch.ended();
            }
        }

        @SuppressWarnings("removal")
        @Override
        public void handle(java.util.concurrent.Semaphore requestSemaphore) throws InterruptedException {
            try {
                delegate.handle(requestSemaphore);
            } finally {
                ctx.watch.ended();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /** The connection's context with a reader of its own; what the watchdog may do to the connection. */
    private static final class Guarded implements ConnectionContext, ConnectionGuard.Conn, Supplier<byte[]> {
        private final ConnectionContext ctx;
        private final HelidonSocket socket;
        private final DataReader reader;
        private ConnectionGuard.Watch watch;
        private boolean first = true;
        /** The last request was HTTP/1.0 with keep-alive: the next one is looked at too (see {@link Http10}). */
        private boolean http10KeepAlive;
        /** The bytes {@link #read} returned last began a new request on a kept-alive connection. */
        private boolean began;

        Guarded(ConnectionContext ctx) {
            this.ctx = ctx;
            this.socket = ctx.serverSocket();
            this.reader = DataReader.create(this);
        }

        /** The next bytes from the socket (null at its end), as the library's own reader would get them. */
        @Override
        public byte[] get() {
            byte[] b = read();
            if (b == null) return null;
            if (first || http10KeepAlive && began) {
                first = false;
                b = request(b);
            }
            return b;
        }

        private byte[] read() {
            DataReader library = ctx.dataReader();  // empty as the only selector; else what it read to identify us
            byte[] b;
            if (library.available() > 0) {
                b = library.readBytes(library.available());
            } else {
                if (!watch.beforeRead()) throw new ServerConnectionException("no buffer room for a large request head", null);
                try {
                    b = socket.get();
                } catch (UncheckedIOException e) {
                    throw new ServerConnectionException("Failed to get data from socket", e);
                }
                // The library would answer 500 and log a WARN with a stack trace for each such connection.
                if (b == null && watch.midHead()) throw new CloseConnectionException("connection closed within a request head");
            }
            began = b != null && watch.dataArrived(b.length);
            return b;
        }

        /**
         * Reads on until a request's line (for HTTP/1.0, its whole head) is there, within the free part of a head; see
         * {@link Http10}. {@code b} begins the request.
         */
        private byte[] request(byte[] b) {
            byte[] buf = b;
            int len = b.length;
            while (true) {
                switch (Http10.inspect(buf, len)) {
                    case PASS -> {
                        http10KeepAlive = false;
                        return len == buf.length ? buf : Arrays.copyOf(buf, len);
                    }
                    case REWRITE -> {
                        http10KeepAlive = Http10.keepAlive(buf, len);
                        return Http10.rewrite(buf, len, host());
                    }
                    case NEED_MORE -> {
                        byte[] more = read();
                        if (more == null) return Arrays.copyOf(buf, len);  // the library sees the end after this
                        if (len + more.length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more.length));
                        System.arraycopy(more, 0, buf, len, more.length);
                        len += more.length;
                    }
                }
            }
        }

        private String host() {
            if (localPeer().address() instanceof InetSocketAddress a) {
                String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
                return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
            }
            return "localhost";
        }

        // ---- ConnectionGuard.Conn ----

        @Override
        public void close() {
            try {
                socket.close();
            } catch (RuntimeException e) {
                // closed already
            }
        }

        @Override
        public void answerThenClose(byte[] response) {
            Thread.ofVirtual().name("gatehouse-http-timeout").start(() -> {
                try {
                    ctx.dataWriter().writeNow(BufferData.create(response));
                } catch (RuntimeException e) {
                    // the client is gone: nothing to tell it
                } finally {
                    close();
                }
            });
        }

        @Override
        public String peer() {
            return remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : String.valueOf(remotePeer().address());
        }

        // ---- ConnectionContext: the library's, but our reader ----

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return socket;
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
