package io.gatehouse.http.endpoint;

import io.gatehouse.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The hostile bodies every JSON dialect must refuse quickly with a 4xx in its own envelope. */
final class BadJsonInput {
    private BadJsonInput() {
    }

    /** name -> body; each must be refused. */
    static Map<String, byte[]> bodies(String goodBody) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("malformed", "{\"a\":".getBytes(StandardCharsets.UTF_8));
        m.put("trailing garbage", (goodBody + "}{").getBytes(StandardCharsets.UTF_8));
        byte[] good = goodBody.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[good.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(good, 0, bom, 3, good.length);
        m.put("BOM", bom);
        m.put("top-level number", "123".getBytes(StandardCharsets.UTF_8));
        m.put("top-level null", "null".getBytes(StandardCharsets.UTF_8));
        m.put("top-level array", "[]".getBytes(StandardCharsets.UTF_8));
        m.put("empty", new byte[0]);
        m.put("not UTF-8", new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        m.put("UTF-16", goodBody.getBytes(StandardCharsets.UTF_16BE));
        m.put("raw NUL", "{\"app_id\":\"a\u0000\"}".getBytes(StandardCharsets.UTF_8));
        m.put("60,000 nested brackets", "[".repeat(60_000).getBytes(StandardCharsets.UTF_8));
        m.put("100,000 nested brackets", "[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        m.put("10 MB body", big);
        return m;
    }

    static HttpResponse<String> post(TestServer server, String path, byte[] body) {
        return server.postBytes(path, "application/json", body);
    }

    /** The same body sent chunked (no Content-Length), so the server must stop reading by itself. */
    static HttpResponse<String> postChunked(TestServer server, String path, byte[] body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    static void assertFast(long startNanos, String what) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(ms < 2_000, what + " took " + ms + " ms");
    }
}
