package io.gatehouse.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.0 requests, which the web library refuses by closing the connection without an answer ({@code curl
 * --http1.0}, nginx's default {@code proxy_pass}, HAProxy's {@code option httpchk} without a version, old monitoring
 * agents). The head of a connection's first request is looked at; when it is HTTP/1.0 it is passed on as the
 * equivalent HTTP/1.1 request: version 1.1, {@code Connection: close} unless the request asked for
 * {@code Connection: keep-alive} (HTTP/1.0 has no persistent connections by default; the server closes after the
 * answer), and a {@code Host} header when the request had none (HTTP/1.0 does not require one, HTTP/1.1 parsers do).
 * After a keep-alive HTTP/1.0 request, the connection's next request is looked at the same way. The answer is an
 * HTTP/1.1 response with a Content-Length (and {@code Connection: keep-alive} while the connection stays open), which
 * HTTP/1.0 clients read (RFC 9110 section 6.2: a server sends its own highest version).
 */
final class Http10 {
    /**
     * How much of a connection's first bytes is looked at (the part of a head that needs no buffer room, see
     * {@link ConnectionGuard}); beyond it the bytes pass unchanged.
     */
    static final int MAX_HEAD = io.gatehouse.config.HttpConfig.SMALL_REQUEST_BYTES;
    private static final byte[] VERSION = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);

    enum Verdict { NEED_MORE, PASS, REWRITE }

    private Http10() {
    }

    /** What to do with the first {@code len} bytes of a connection. */
    static Verdict inspect(byte[] buf, int len) {
        int lf = indexOf(buf, len, 0);
        if (lf < 0) return len >= MAX_HEAD ? Verdict.PASS : Verdict.NEED_MORE;
        int end = lf > 0 && buf[lf - 1] == '\r' ? lf - 1 : lf;
        if (!endsWith(buf, end, VERSION)) return Verdict.PASS;
        if (headEnd(buf, len, lf) < 0) return len >= MAX_HEAD ? Verdict.PASS : Verdict.NEED_MORE;
        return Verdict.REWRITE;
    }

    /** The HTTP/1.1 form of a complete HTTP/1.0 head (and whatever followed it), for {@link Verdict#REWRITE}. */
    static byte[] rewrite(byte[] buf, int len, String host) {
        int lf = indexOf(buf, len, 0);
        int end = lf > 0 && buf[lf - 1] == '\r' ? lf - 1 : lf;
        boolean hasHost = header(buf, len, "host") != null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 64);
        out.write(buf, 0, end - VERSION.length);
        out.writeBytes((" HTTP/1.1\r\n" + (keepAlive(buf, len) ? "" : "Connection: close\r\n")
                + (hasHost ? "" : "Host: " + host + "\r\n")).getBytes(StandardCharsets.ISO_8859_1));
        out.write(buf, lf + 1, len - lf - 1);
        return out.toByteArray();
    }

    /** Whether a complete HTTP/1.0 head asks to keep the connection open ({@code Connection: keep-alive}). */
    static boolean keepAlive(byte[] buf, int len) {
        String connection = header(buf, len, "connection");
        if (connection == null) return false;
        for (String token : connection.split(",")) {
            if (token.strip().equalsIgnoreCase("keep-alive")) return true;
        }
        return false;
    }

    /** The value of the first header {@code name} (lower case) in a complete head, or null. */
    private static String header(byte[] buf, int len, String name) {
        int lf = indexOf(buf, len, 0);
        int headEnd = headEnd(buf, len, lf);
        for (int start = lf + 1; start < headEnd; ) {
            int next = indexOf(buf, headEnd, start);
            if (next < 0) next = headEnd;
            String line = new String(buf, start, next - start, StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon == name.length() && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
            start = next + 1;
        }
        return null;
    }

    /** Index just past the blank line that ends the head (CRLF CRLF, or bare LF LF), or -1. */
    private static int headEnd(byte[] buf, int len, int firstLf) {
        for (int i = firstLf; i < len; i++) {
            if (buf[i] != '\n') continue;
            if (i + 1 < len && buf[i + 1] == '\n') return i + 1;
            if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 2;
        }
        return -1;
    }

    private static int indexOf(byte[] buf, int len, int from) {
        for (int i = from; i < len; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    private static boolean endsWith(byte[] buf, int end, byte[] suffix) {
        if (end < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) {
            if (buf[end - suffix.length + i] != suffix[i]) return false;
        }
        return true;
    }
}
