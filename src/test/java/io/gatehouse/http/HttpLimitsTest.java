package io.gatehouse.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.HttpConfig;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTTP layer's protocol and limits over raw sockets: HTTP/1.0, Connection: close, 413, the keep-alive idle timeout,
 * the connection limit, and the split of public and management endpoints. Bounds on closing are generous (hang
 * detection): only that it happens is asserted, not how soon.
 */
class HttpLimitsTest {
    static final Duration SLACK = Duration.ofSeconds(15);
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withHttp(c.http().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(2))));
        server.addClient("svc", "s3cret", b -> { });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int port(String url) {
        return URI.create(url).getPort();
    }

    @Test
    void http10WhenRequestedThenAnsweredAndClosedWithOrWithoutHost() throws IOException {
        for (String req : List.of("GET /jwks HTTP/1.0\r\n\r\n", "GET /jwks HTTP/1.0\r\nHost: localhost\r\n\r\n")) {
            Answer a = exchange(port(server.base), req, Duration.ofSeconds(30));
            assertTrue(a.text.startsWith("HTTP/1.1 200 OK\r\n"), a.text);
            assertTrue(a.text.contains("\"keys\":["), a.text);
            assertTrue(a.text.toLowerCase().contains("connection: close"), a.text);
            assertTrue(a.closed, "HTTP/1.0: the server closes after the answer");
        }
        Answer health = exchange(port(server.management), "GET /health/live HTTP/1.0\r\n\r\n", Duration.ofSeconds(30));
        assertTrue(health.text.startsWith("HTTP/1.1 200 OK") && health.text.endsWith("{\"status\":\"UP\"}"), health.text);
        String form = "grant_type=client_credentials";
        Answer token = exchange(port(server.base), "POST /oauth2/token HTTP/1.0\r\nAuthorization: " + basic("svc", "s3cret")[1]
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form,
                Duration.ofSeconds(30));
        assertTrue(token.text.startsWith("HTTP/1.1 200 OK") && token.text.contains("access_token"), token.text);
    }

    @Test
    void http10WhenKeepAliveAskedThenConnectionKeptForTheNextRequestUntilOneWithout() throws IOException {
        try (Socket s = connect(port(server.base))) {
            for (int i = 0; i < 2; i++) {
                s.getOutputStream().write("GET /jwks HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String head = readHead(s);
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                assertTrue(head.toLowerCase().contains("\r\nconnection: keep-alive\r\n"), head);
                int length = Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
                s.getInputStream().readNBytes(length);
            }
            s.getOutputStream().write("GET /jwks HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Answer last = readUntilClosed(s, SLACK);
            assertTrue(last.text.startsWith("HTTP/1.1 200 OK\r\n") && last.text.toLowerCase().contains("connection: close"), last.text);
            assertTrue(last.closed, "closed after the request without keep-alive");
        }
    }

    /** The response head (through the blank line) from a socket, byte by byte. */
    static String readHead(Socket s) throws IOException {
        s.setSoTimeout((int) SLACK.toMillis());
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("closed after " + b);
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void connectionCloseWhenAskedThenClosedAfterTheAnswer() throws IOException {
        Answer a = exchange(port(server.base), "GET /jwks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(30));
        assertTrue(a.text.startsWith("HTTP/1.1 200 OK"), a.text);
        assertTrue(a.closed);
    }

    @Test
    void declaredBodyFarOverLimitThen413AndClosedWithoutReadingIt() throws IOException {
        Answer a = exchange(port(server.base), "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\ngrant_type=", Duration.ofSeconds(30));
        assertTrue(a.text.startsWith("HTTP/1.1 413 "), a.text);
        assertTrue(a.text.contains("\"error\":\"invalid_request\""), a.text);
        assertTrue(a.closed);
    }

    @Test
    void bodyOverLimitWhenSentInFullThen413AndTheConnectionCarriesTheNextRequest() throws IOException {
        try (Socket s = connect(port(server.base))) {
            byte[] body = new byte[1024 * 1024];
            java.util.Arrays.fill(body, (byte) 'a');
            s.getOutputStream().write(("POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer a = readUntilClosed(s, Duration.ofSeconds(30));
            assertTrue(a.text.startsWith("HTTP/1.1 413 "), a.text);
            assertTrue(a.text.contains("HTTP/1.1 404 "), "the next request on the same connection is answered: " + a.text);
        }
    }

    @Test
    void keepAliveConnectionWhenIdleThenClosedAfterIdleTimeout() throws IOException {
        try (Socket s = connect(port(server.base))) {
            s.getOutputStream().write("GET /jwks HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer a = readUntilClosed(s, Duration.ofSeconds(2).plus(SLACK));
            assertTrue(a.text.startsWith("HTTP/1.1 200 OK"), a.text);
            assertTrue(a.closed, "closed by the server after the 2 s idle timeout");
        }
    }

    @Test
    void managementEndpointsOnlyOnTheManagementListener() {
        for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
            assertEquals(404, server.get(path).statusCode(), path + " on the public port");
            assertEquals(200, server.management(path).statusCode(), path + " on the management port");
        }
        assertEquals(404, server.management("/oauth2/token").statusCode(), "no protocol endpoint on the management port");
        HttpResponse<String> live = server.management("/health/live");
        assertEquals("{\"status\":\"UP\"}", live.body());
        assertEquals("application/json", live.headers().firstValue("Content-Type").orElse(""));
        JsonNode ready = TestServer.json(server.management("/health/ready"));
        assertEquals("UP", ready.get("status").asText());
        assertEquals("UP", ready.at("/checks/database/status").asText(), ready.toString());
        assertEquals("UP", ready.at("/checks/signing_keys/status").asText(), ready.toString());
    }

    @Test
    void connectionsBeyondTheMaximumThenQueuedUntilOneCloses() throws Exception {
        int max = 8;
        try (TestServer small = TestServer.start(c -> c.withHttp(c.http().withLimits(max, 10, HttpConfig.DEFAULT_MAX_BUFFERED_REQUEST_BYTES)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60))))) {
            int port = port(small.base);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) held.add(connect(port));  // connected, sending nothing
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (small.gatehouse.publicListener().openConnections() < max && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(max, small.gatehouse.publicListener().openConnections());
                try (Socket queued = connect(port)) {
                    queued.getOutputStream().write("GET /jwks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    queued.setSoTimeout(1000);
                    assertThrows(SocketTimeoutException.class, () -> queued.getInputStream().read(),
                            "no answer while " + max + " connections are open");
                    held.removeFirst().close();
                    Answer a = readUntilClosed(queued, SLACK);
                    assertTrue(a.text.startsWith("HTTP/1.1 200 OK"), "answered once a connection closed: " + a.text);
                }
            } finally {
                for (Socket s : held) s.close();
            }
        }
    }

    @Test
    void requestsBeyondMaxConcurrentWhenSlotsStayBusyThen503RetryAfter() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        Router router = new Router();
        router.get("/slow", req -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WebResponse.text(200, "slow");
        });
        router.get("/fast", req -> WebResponse.text(200, "fast"));
        router.ready();
        HttpConfig one = HttpConfig.forTest().withLimits(100, 1, HttpConfig.DEFAULT_MAX_BUFFERED_REQUEST_BYTES);
        try (HttpServer http = HttpServer.start("public", "127.0.0.1", 0, router, 65536, one)) {
            var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(http.port(), "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", SLACK);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(entered.await(30, java.util.concurrent.TimeUnit.SECONDS), "/slow holds the one slot");
            Answer busy = exchange(http.port(), "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", SLACK);
            assertTrue(busy.text.startsWith("HTTP/1.1 503 "), "after waiting " + HttpConfig.QUEUE_WAIT.toSeconds()
                    + " s for the busy slot: " + busy.text);
            assertTrue(busy.text.contains("Retry-After: 1") && busy.text.contains("\"error\":\"temporarily_unavailable\""), busy.text);
            release.countDown();
            assertTrue(slow.get(30, java.util.concurrent.TimeUnit.SECONDS).text.endsWith("slow"));
            Answer fast = exchange(http.port(), "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", SLACK);
            assertTrue(fast.text.startsWith("HTTP/1.1 200 ") && fast.text.endsWith("fast"), fast.text);
        }
    }

    // ---- raw HTTP ----

    record Answer(String text, boolean closed) {
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    static Answer exchange(int port, String request, Duration bound) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readUntilClosed(s, bound);
        }
    }

    /** Everything the server sends until it closes (closed = true) or the bound passes (closed = false). */
    static Answer readUntilClosed(Socket s, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        InputStream in = s.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[8192];
        try {
            while (true) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int r = in.read(buf);
                if (r < 0) return new Answer(text.toString(), true);
                text.append(new String(buf, 0, r, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            return new Answer(text.toString(), false);
        }
    }

    @Test
    void responseWhenTwoSetCookieHeadersThenBothSentOnTheirOwnLines() throws Exception {
        Router router = new Router();
        router.get("/two", req -> WebResponse.text(200, "two").with("Set-Cookie", "a=1; Path=/")
                .with("Set-Cookie", "b=2; Path=/"));
        router.ready();
        try (HttpServer http = HttpServer.start("public", "127.0.0.1", 0, router, 65536, HttpConfig.forTest())) {
            Answer a = exchange(http.port(), "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", SLACK);
            assertTrue(a.text.contains("\r\nSet-Cookie: a=1; Path=/\r\n") && a.text.contains("\r\nSet-Cookie: b=2; Path=/\r\n"),
                    a.text);
        }
    }
}
