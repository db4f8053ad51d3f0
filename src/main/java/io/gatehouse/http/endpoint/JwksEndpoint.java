package io.gatehouse.http.endpoint;

import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;

/**
 * GET /jwks: the published signing keys (RFC 7517: next, active and retired), never private parts, with
 * {@code Cache-Control: max-age} as configured (a new key is published that long before it signs).
 */
public final class JwksEndpoint implements Endpoint {
    private final SigningKeys keys;
    private final String cacheControl;

    public JwksEndpoint(SigningKeys keys, java.time.Duration maxAge) {
        this.keys = keys;
        this.cacheControl = "public, max-age=" + maxAge.toSeconds();
    }

    @Override
    public WebResponse handle(WebRequest request) {
        return WebResponse.of(200, "application/jwk-set+json", keys.publicJwksJson().getBytes(StandardCharsets.UTF_8))
                .with("Cache-Control", cacheControl);
    }
}
