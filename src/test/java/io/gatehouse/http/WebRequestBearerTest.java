package io.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link WebRequest#bearer()}: the one reader of {@code Authorization: Bearer} for the admin API, userinfo and /product. */
class WebRequestBearerTest {

    private static Optional<String> bearer(String... authorization) {
        Map<String, List<String>> headers = authorization.length == 0 ? Map.of() : Map.of("authorization", List.of(authorization));
        return new WebRequest("GET", "/", "", headers, null, false, "127.0.0.1", false).bearer();
    }

    @Test
    void bearerWhenSchemeInAnyCaseThenStrippedToken() {
        assertEquals(Optional.of("abc.def-_~+/="), bearer("Bearer abc.def-_~+/="));
        assertEquals(Optional.of("abc"), bearer("bearer abc"));
        assertEquals(Optional.of("abc"), bearer("BEARER   abc  "));
    }

    @Test
    void bearerWhenSchemeWithoutTokenThenEmptyTokenForTheEndpointToRefuse() {
        assertEquals(Optional.of(""), bearer("Bearer "));
        assertEquals(Optional.of(""), bearer("Bearer    "));
    }

    @Test
    void bearerWhenAbsentRepeatedOrAnotherSchemeThenNone() {
        assertEquals(Optional.empty(), bearer());
        assertEquals(Optional.empty(), bearer("Bearer a", "Bearer b"));
        assertEquals(Optional.empty(), bearer("Basic YTpi"));
        assertEquals(Optional.empty(), bearer("Bearer"));
        assertEquals(Optional.empty(), bearer("Bearerabc"));
        assertEquals(Optional.empty(), bearer(""));
    }
}
