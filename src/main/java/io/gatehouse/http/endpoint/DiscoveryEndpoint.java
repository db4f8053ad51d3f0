package io.gatehouse.http.endpoint;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.Map;

/**
 * GET /.well-known/openid-configuration and /.well-known/oauth-authorization-server (RFC 8414). The
 * document is rendered once at start; it advertises only what is implemented.
 */
public final class DiscoveryEndpoint implements Endpoint {
    private final byte[] body;

    public DiscoveryEndpoint(Map<String, Object> metadata) {
        this.body = Json.write(metadata);
    }

    @Override
    public WebResponse handle(WebRequest request) {
        return WebResponse.json(200, body).with("Cache-Control", "public, max-age=300");
    }
}
