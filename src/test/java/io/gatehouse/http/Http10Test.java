package io.gatehouse.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** HTTP/1.0 heads passed on as HTTP/1.1 with Connection: close and a Host when missing; anything else unchanged. */
class Http10Test {
    static Http10.Verdict inspect(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Http10.inspect(b, b.length);
    }

    static String rewrite(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new String(Http10.rewrite(b, b.length, "127.0.0.1:9001"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void inspectWhenHttp11OrIncompleteThenPassOrNeedMore() {
        assertEquals(Http10.Verdict.PASS, inspect("GET / HTTP/1.1\r\n"));
        assertEquals(Http10.Verdict.PASS, inspect("PRI * HTTP/2.0\r\n"));
        assertEquals(Http10.Verdict.NEED_MORE, inspect("GET /jwks HTT"));
        assertEquals(Http10.Verdict.NEED_MORE, inspect("GET /jwks HTTP/1.0\r\nHost: x\r\n"), "the whole head first");
        assertEquals(Http10.Verdict.REWRITE, inspect("GET /jwks HTTP/1.0\r\nHost: x\r\n\r\n"));
        assertEquals(Http10.Verdict.REWRITE, inspect("GET /jwks HTTP/1.0\r\n\r\n"));
        assertEquals(Http10.Verdict.PASS, inspect("GET /" + "a".repeat(Http10.MAX_HEAD)), "a long line passes unchanged");
    }

    @Test
    void rewriteWhenNoHostThenHostAndCloseAdded() {
        assertEquals("GET /health/live HTTP/1.1\r\nConnection: close\r\nHost: 127.0.0.1:9001\r\n\r\n",
                rewrite("GET /health/live HTTP/1.0\r\n\r\n"));
    }

    @Test
    void rewriteWhenHostAndBodyThenKeptAsSent() {
        assertEquals("POST /t HTTP/1.1\r\nConnection: close\r\nhost: a\r\nContent-Length: 3\r\n\r\nabc",
                rewrite("POST /t HTTP/1.0\r\nhost: a\r\nContent-Length: 3\r\n\r\nabc"));
    }

    @Test
    void rewriteWhenKeepAliveAskedThenNoCloseAdded() {
        assertEquals("GET /jwks HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nConnection: Keep-Alive\r\n\r\n",
                rewrite("GET /jwks HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
        byte[] b = "GET / HTTP/1.0\r\nX-Connection: keep-alive\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(Http10.keepAlive(b, b.length));
        b = "GET / HTTP/1.0\r\nconnection: foo, keep-alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(Http10.keepAlive(b, b.length));
    }
}
