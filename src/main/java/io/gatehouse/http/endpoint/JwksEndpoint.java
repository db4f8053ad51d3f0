package io.gatehouse.http.endpoint;

import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;

/** GET /jwks: the public signing keys (RFC 7517), never private parts. */
public final class JwksEndpoint implements Endpoint {
    private final SigningKeys keys;

    public JwksEndpoint(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public WebResponse handle(WebRequest request) {
        return WebResponse.of(200, "application/jwk-set+json", keys.publicJwksJson().getBytes(StandardCharsets.UTF_8))
                .with("Cache-Control", "public, max-age=300");
    }
}
