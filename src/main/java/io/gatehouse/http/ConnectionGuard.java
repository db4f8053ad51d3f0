package io.gatehouse.http;

import io.gatehouse.config.HttpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Read deadlines of every connection of one listener, enforced by one watchdog thread (the web library has none:
 * a client that sends half a header or half a body would otherwise hold its connection for ever).
 *
 * <p>A connection is in one phase at a time. {@link Phase#HEAD}: its next request's line and headers must arrive
 * within the header timeout, counted from the connect or from the request's first byte; else it is closed.
 * {@link Phase#BODY}: the body must arrive within the body timeout, counted from the end of the headers (waiting for
 * buffer room included); else it gets 408 and is closed. {@link Phase#BUSY}: the request is being processed, no
 * deadline. {@link Phase#IDLE}: the answer went out; the next request must begin within the idle timeout, else the
 * connection is closed quietly. Whoever moves a connection out of {@code BODY} first (the request thread when the
 * body is complete, the watchdog when the deadline passed) owns the answer, so that exactly one is written.
 *
 * <p>Memory: reads of a request head are free while less than {@link HttpConfig#SMALL_REQUEST_BYTES} of it arrived;
 * each further read (at most {@link #CHUNK} bytes) first takes room from the listener's shared {@link #buffered}
 * budget, also used for large bodies (see {@link RequestBody}), and waits for it (within the header timeout) when there
 * is none, leaving the bytes in the kernel. A connection thus holds at most its read buffer and 16 KiB of request on the
 * heap of its own, however much head or body a client sends and then stalls.
 *
 * <p>TLS: the web library runs a connection's handshake before it hands the connection over, so the socket factory
 * reports each accepted connection first ({@link #handshaking}); the header timeout then counts from the connect,
 * over the handshake and the first request's head, and a handshake that does not finish in time is cut off like a
 * stalled head. The watchdog closes TLS connections through their plain socket, which never blocks (closing the TLS
 * socket would first write a close_notify alert, which can wait for ever on a client that does not read).
 *
 * <p>Nothing here is logged per event above DEBUG: {@link Events} sums up what happened in one INFO line per minute
 * at most, however many connections misbehave.
 */
final class ConnectionGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final ThreadLocal<Watch> CURRENT = new ThreadLocal<>();
    /** The plain socket of the TLS connection the calling thread is handshaking. */
    private static final ThreadLocal<java.net.Socket> HANDSHAKE = new ThreadLocal<>();
    static final long TICK_MILLIS = 200;
    /** The most one read from a socket returns (the web library's read buffer). */
    static final int CHUNK = 8 * 1024;
    private static final long WAIT_GRACE_NANOS = 1_000_000_000L;
    /** After the watchdog answered 408, the socket is closed by force at the latest this much later. */
    private static final long CLOSE_GRACE_NANOS = 2_000_000_000L;

    /** What the watchdog can do to a connection from its own thread. */
    interface Conn {
        /** Closes the socket: a read blocked on it fails at once. Never blocks. */
        void close();

        /** Writes this complete response, then closes; never blocks the caller. */
        void answerThenClose(byte[] response);

        /** The peer's address, for DEBUG lines. */
        String peer();
    }

    enum Phase { HEAD, BODY, BUSY, IDLE, CLOSING, CLOSED }

    private record State(Phase phase, long deadline) {
        boolean hasDeadline() {
            return phase == Phase.HEAD || phase == Phase.BODY || phase == Phase.IDLE || phase == Phase.CLOSING;
        }
    }

    private static final State BUSY = new State(Phase.BUSY, 0);
    private static final State CLOSED = new State(Phase.CLOSED, 0);

    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    private final String bodyTimeoutText;
    private final Set<Watch> open = ConcurrentHashMap.newKeySet();
    /** TLS connections in their handshake: plain socket to deadline (System.nanoTime). */
    private final java.util.Map<java.net.Socket, Long> handshakes = new ConcurrentHashMap<>();
    /** Room for request bytes beyond the free first part of each head and body (max-buffered-request-bytes). */
    final java.util.concurrent.Semaphore buffered;
    final Events events;
    private final Thread watchdog;
    private volatile boolean running = true;

    ConnectionGuard(String name, HttpConfig config) {
        this.headerNanos = config.headerTimeout().toNanos();
        this.bodyNanos = config.bodyTimeout().toNanos();
        this.idleNanos = config.idleTimeout().toNanos();
        this.bodyTimeoutText = seconds(config.bodyTimeout());
        this.buffered = new java.util.concurrent.Semaphore(config.maxBufferedRequestBytes());
        this.events = new Events(name);
        this.watchdog = Thread.ofPlatform().daemon().name("gatehouse-http-watchdog-" + name).start(this::watch);
    }

    /** The watch of the connection the calling thread serves, or null outside a guarded connection. */
    static Watch current() {
        return CURRENT.get();
    }

    /**
     * A TLS connection was accepted on the calling thread and its handshake begins: it must be done, and the first
     * request's head have arrived, within the header timeout.
     */
    void handshaking(java.net.Socket plain) {
        handshakes.put(plain, System.nanoTime() + headerNanos);
        HANDSHAKE.set(plain);
    }

    /**
     * Starts watching a new connection (in {@link Phase#HEAD}); the calling thread is the one that serves it (and, for
     * TLS, the one that did its handshake).
     */
    Watch open(Conn conn) {
        java.net.Socket plain = HANDSHAKE.get();
        Long deadline = null;
        if (plain != null) {
            HANDSHAKE.remove();
            deadline = handshakes.remove(plain);
        }
        Watch w = new Watch(conn, plain, deadline != null ? deadline : System.nanoTime() + headerNanos);
        open.add(w);
        CURRENT.set(w);
        return w;
    }

    int openConnections() {
        return open.size() + handshakes.size();
    }

    String bodyTimeoutText() {
        return bodyTimeoutText;
    }

    @Override
    public void close() {
        running = false;
        watchdog.interrupt();
    }

    /** One connection's phase and deadline. */
    final class Watch {
        private final Conn conn;
        private final java.net.Socket plain;  // under TLS; null for plain http
        private final AtomicReference<State> state;
        // only the connection's own thread touches these two
        private int headBytes;     // read of the current request head
        private int headReserved;  // room taken from the budget for it

        private Watch(Conn conn, java.net.Socket plain, long headDeadline) {
            this.conn = conn;
            this.plain = plain;
            this.state = new AtomicReference<>(new State(Phase.HEAD, headDeadline));
        }

        /** Closes the connection from the watchdog: under TLS its plain socket (see the class comment). */
        private void closeConnection() {
            if (plain == null) {
                conn.close();
            } else {
                closeQuietly(plain);
            }
        }

        /**
         * Before reading from the socket: past the free part of a request head, take room for one more chunk, waiting
         * within the header timeout. @return false when there is no room in time (the connection is to be closed)
         */
        boolean beforeRead() {
            State s = state.get();
            if (s.phase != Phase.HEAD || headBytes < HttpConfig.SMALL_REQUEST_BYTES) return true;
            if (!buffered.tryAcquire(CHUNK)) {
                events.record(Events.Kind.BUFFER_WAIT);
                try {
                    long left = s.deadline + WAIT_GRACE_NANOS - System.nanoTime();
                    if (left <= 0 || !buffered.tryAcquire(CHUNK, left, java.util.concurrent.TimeUnit.NANOSECONDS)) return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            headReserved += CHUNK;
            return true;
        }

        /**
         * Bytes came from the socket: when idle, a new request begins and its head has the header timeout.
         *
         * @return true when these bytes began a request after an answer on this connection
         */
        boolean dataArrived(int n) {
            State s = state.get();
            boolean began = false;
            if (s.phase == Phase.IDLE && state.compareAndSet(s, new State(Phase.HEAD, System.nanoTime() + headerNanos))) {
                s = state.get();
                headBytes = 0;
                began = true;
            }
            if (s.phase == Phase.HEAD) headBytes += n;
            return began;
        }

        /** Part of a request head arrived, not all of it. */
        boolean midHead() {
            boolean mid = state.get().phase == Phase.HEAD && headBytes > 0;
            if (mid) events.record(Events.Kind.ABORTED_HEAD);
            return mid;
        }

        private void releaseHead() {
            if (headReserved > 0) buffered.release(headReserved);
            headReserved = 0;
            headBytes = 0;
        }

        /** The request's head is complete. @return false when the connection was already timed out and closed */
        boolean headReceived(boolean withBody) {
            releaseHead();
            State next = withBody ? new State(Phase.BODY, System.nanoTime() + bodyNanos) : BUSY;
            while (true) {
                State s = state.get();
                if (s.phase == Phase.CLOSING || s.phase == Phase.CLOSED) return false;
                if (state.compareAndSet(s, next)) return true;
            }
        }

        /** When the body must be complete (System.nanoTime), valid in {@link Phase#BODY}. */
        long bodyDeadline() {
            State s = state.get();
            return s.phase == Phase.BODY ? s.deadline : System.nanoTime();
        }

        /**
         * The body is complete (or failed): leaves {@link Phase#BODY}. @return true when the caller now owns the
         * answer, false when the watchdog took the connection first (it answered 408 and closes it)
         */
        boolean bodyDone() {
            State s = state.get();
            return s.phase != Phase.BODY ? s.phase == Phase.BUSY : state.compareAndSet(s, BUSY);
        }

        /** The answer went out: the connection waits for its next request. */
        void responded() {
            State s = state.get();
            if (s.phase == Phase.BUSY) state.compareAndSet(s, new State(Phase.IDLE, System.nanoTime() + idleNanos));
        }

        /** The connection ended (its thread is done with it). */
        void ended() {
            releaseHead();
            state.set(CLOSED);
            open.remove(this);
            CURRENT.remove();
        }

        /** Called by the watchdog when the deadline passed. */
        private void expire(State s) {
            if (s.phase == Phase.CLOSING) {  // the 408 could not be written in time
                if (state.compareAndSet(s, CLOSED)) closeConnection();
                return;
            }
            if (!state.compareAndSet(s, new State(Phase.CLOSING, System.nanoTime() + CLOSE_GRACE_NANOS))) return;
            switch (s.phase) {
                case HEAD -> {
                    events.record(Events.Kind.HEADER_TIMEOUT);
                    LOG.debug("closed the connection from {}: request head not complete within the header timeout", conn.peer());
                    closeConnection();
                }
                case BODY -> {
                    events.record(Events.Kind.BODY_TIMEOUT);
                    LOG.debug("request body from {} not complete within {}: answered 408 and closed the connection",
                            conn.peer(), bodyTimeoutText);
                    conn.answerThenClose(response408(bodyTimeoutText));
                }
                case IDLE -> closeConnection();
                default -> { }
            }
        }
    }

    private void watch() {
        long nextSummary = System.nanoTime() + Events.EVERY_NANOS;
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                if (!running) return;
            }
            long now = System.nanoTime();
            for (Watch w : open) {
                State s = w.state.get();
                if (s.hasDeadline() && now - s.deadline >= 0) {
                    try {
                        w.expire(s);
                    } catch (RuntimeException e) {
                        LOG.debug("closing a timed-out connection failed", e);
                    }
                }
            }
            expireHandshakes(now);
            if (now - nextSummary >= 0) {
                events.summarize(open.size());
                nextSummary = now + Events.EVERY_NANOS;
            }
        }
    }

    /** Forgets handshakes that failed (the library closed the socket) and cuts off those past their deadline. */
    private void expireHandshakes(long now) {
        for (var e : handshakes.entrySet()) {
            java.net.Socket plain = e.getKey();
            if (plain.isClosed()) {
                handshakes.remove(plain);
            } else if (now - e.getValue() >= 0 && handshakes.remove(plain) != null) {
                events.record(Events.Kind.HEADER_TIMEOUT);
                LOG.debug("closed the connection from {}: TLS handshake and request head not complete within the header "
                        + "timeout", plain.getInetAddress() == null ? "?" : plain.getInetAddress().getHostAddress());
                closeQuietly(plain);
            }
        }
    }

    private static void closeQuietly(java.net.Socket s) {
        try {
            s.close();
        } catch (java.io.IOException | RuntimeException e) {
            // closed already
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static byte[] response408(String timeout) {
        String body = "{\"error\":\"request_timeout\",\"error_description\":\"The request body did not arrive within "
                + timeout + "\"}";
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        String head = "HTTP/1.1 408 Request Timeout\r\nDate: " + date + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Counts of what misbehaving or unlucky clients caused, logged as one INFO line per minute at most (and only when
     * something happened), instead of a line or a stack trace per connection.
     */
    static final class Events {
        static final long EVERY_NANOS = 60_000_000_000L;

        enum Kind {
            HEADER_TIMEOUT("request heads not complete within the header timeout (closed)"),
            BODY_TIMEOUT("request bodies not complete within the body timeout (408)"),
            ABORTED_HEAD("request heads cut off by the client"),
            ABORTED_BODY("request bodies cut off by the client"),
            BUFFER_WAIT("large request bodies that waited for buffer room"),
            BUSY("requests refused while busy (503)");

            final String text;

            Kind(String text) {
                this.text = text;
            }
        }

        private final String listener;
        private final AtomicLong[] window = new AtomicLong[Kind.values().length];
        private final AtomicLong[] total = new AtomicLong[Kind.values().length];

        Events(String listener) {
            this.listener = listener;
            for (int i = 0; i < window.length; i++) {
                window[i] = new AtomicLong();
                total[i] = new AtomicLong();
            }
        }

        void record(Kind k) {
            window[k.ordinal()].incrementAndGet();
            total[k.ordinal()].incrementAndGet();
        }

        /** How many of these happened since the start. */
        long total(Kind k) {
            return total[k.ordinal()].get();
        }

        void summarize(int open) {
            List<String> parts = new ArrayList<>();
            for (Kind k : Kind.values()) {
                long n = window[k.ordinal()].getAndSet(0);
                if (n > 0) parts.add(n + " " + k.text);
            }
            if (!parts.isEmpty()) {
                LOG.info("{} listener, last minute: {}; {} connections open", listener, String.join(", ", parts), open);
            }
        }
    }
}
