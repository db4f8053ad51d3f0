package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.http.Router;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI 3.1 document is valid, and true to the routes: every route documented, every documented route there. */
class AdminOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    static String document() throws Exception {
        try (InputStream in = AdminOpenApiTest.class.getResourceAsStream(OpenApiResource.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** "METHOD /path" of every admin route the API registers (HEAD comes with GET by itself). */
    static Set<String> registered() {
        Router router = new Router();
        new AdminApi(new AdminApi.Services(null, null, null, null, null, List.of()), null, null, "http://127.0.0.1:1").route(router);
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : router.routes().entrySet()) {
            assertTrue(e.getKey().startsWith(AdminApi.BASE + "/"), e.getKey());
            for (String m : e.getValue()) {
                if (!m.equals("HEAD")) out.add(m + " " + e.getKey().substring(AdminApi.BASE.length()));
            }
        }
        return out;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws Exception {
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(document());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
        }));
        assertEquals(registered(), documented);
        assertTrue(documented.size() >= 25, documented.toString());
    }

    @Test
    void documentIsValidOpenApi31() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document(), null, options);
        assertNotNull(result.getOpenAPI(), String.valueOf(result.getMessages()));
        assertEquals(List.of(), result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertTrue(result.getOpenAPI().getPaths().size() >= 15);
    }

    @Test
    void validatorWhenDocumentBrokenThenComplains() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        String broken = document().replace("\"#/components/schemas/Client\"", "\"#/components/schemas/Nope\"")
                .replaceFirst("\"responses\"", "\"responzes\"");
        assertTrue(!new OpenAPIV3Parser().readContents(broken, null, options).getMessages().isEmpty(), "the check can fail");
    }

    @Test
    void everyOperationDeclaresItsSecurityAndErrors() throws Exception {
        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(document());
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            if (!METHODS.contains(op.getKey()) || p.getKey().equals("/openapi.json")) return;
            JsonNode o = op.getValue();
            String name = op.getKey() + " " + p.getKey();
            assertTrue(o.has("security") && o.get("responses").has("401") && o.get("responses").has("403"), name);
            String scope = o.get("security").toString();
            assertTrue(op.getKey().equals("get") ? scope.contains("gatehouse:admin:read") : !scope.contains(":read"), name);
        }));
    }
}
