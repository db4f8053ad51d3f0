package io.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An HTTP response as the endpoints produce it. */
public record WebResponse(int status, List<Header> headers, byte[] body) {
    public record Header(String name, String value) {
    }

    public static final String JSON = "application/json";
    public static final String JSON_UTF8 = "application/json;charset=UTF-8";
    public static final String TEXT_UTF8 = "text/plain;charset=UTF-8";
    public static final String HTML_UTF8 = "text/html;charset=UTF-8";

    public WebResponse {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static WebResponse of(int status, String contentType, byte[] body) {
        return new WebResponse(status, List.of(new Header("Content-Type", contentType)), body);
    }

    public static WebResponse json(int status, byte[] body) {
        return of(status, JSON, body);
    }

    public static WebResponse text(int status, String body) {
        return of(status, TEXT_UTF8, body.getBytes(StandardCharsets.UTF_8));
    }

    public static WebResponse empty(int status) {
        return new WebResponse(status, List.of(), new byte[0]);
    }

    /** A copy with one more header. */
    public WebResponse with(String name, String value) {
        List<Header> h = new ArrayList<>(headers);
        h.add(new Header(name, value));
        return new WebResponse(status, h, body);
    }

    /** A copy with the headers every token/credential answer carries (RFC 6749 §5.1). */
    public WebResponse noStore() {
        return with("Cache-Control", "no-store").with("Pragma", "no-cache");
    }

    public String header(String name) {
        for (Header h : headers) {
            if (h.name.equalsIgnoreCase(name)) return h.value;
        }
        return null;
    }
}
