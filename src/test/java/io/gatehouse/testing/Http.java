package io.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a server that is not a {@link TestServer} (another process, a second node). */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Http() {
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public static HttpResponse<String> form(String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b);
    }

    /** A client_credentials token request with HTTP Basic; @return the response (no status check). */
    public static HttpResponse<String> clientCredentials(String base, String id, String secret) {
        return form(base + "/oauth2/token", "grant_type=client_credentials", TestServer.basic(id, secret));
    }

    /** A client_credentials token that must be issued (200); @return the access token. */
    public static String token(String base, String id, String secret) {
        HttpResponse<String> r = clientCredentials(base, id, secret);
        if (r.statusCode() != 200) throw new AssertionError("token request: " + r.statusCode() + " " + r.body());
        return TestServer.json(r).get("access_token").asText();
    }

    /** Sends a request (30 s timeout, no redirects followed). */
    public static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
