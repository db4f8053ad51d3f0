package io.gatehouse.admin.api;

import io.gatehouse.http.Endpoint;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /admin/api/v1/openapi.json}: the OpenAPI 3.1 document of the admin API, served without a token (it
 * describes the API, it holds no data). {@code AdminOpenApiTest} keeps it true to the routes.
 */
final class OpenApiResource implements Endpoint {
    static final String PATH = AdminApi.BASE + "/openapi.json";
    static final String RESOURCE = "/io/gatehouse/admin/api/openapi.json";

    private final byte[] document;

    OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public WebResponse handle(WebRequest request) {
        return WebResponse.json(200, document).with("Cache-Control", "no-cache");
    }
}
