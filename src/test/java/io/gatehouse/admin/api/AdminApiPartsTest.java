package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.http.WebRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ETags/If-Match and JSON merge patch (the RFC 7396 appendix examples). */
class AdminApiPartsTest {
    private static WebRequest withIfMatch(String... values) {
        return new WebRequest("PUT", "/x", "", values.length == 0 ? Map.of() : Map.of("if-match", List.of(values)), null, false,
                "127.0.0.1", false);
    }

    @Test
    void expectedWhenIfMatchGivenThenTheVersionItNames() {
        assertEquals("\"zz\"", ETags.of(1295));
        assertEquals(OptionalLong.of(1295), ETags.expected(withIfMatch("\"zz\""), true, () -> 0));
        assertEquals(OptionalLong.empty(), ETags.expected(withIfMatch("*"), true, () -> 0));
        assertEquals(OptionalLong.empty(), ETags.expected(withIfMatch(), false, () -> 0));
        assertEquals(OptionalLong.of(ETags.NONE), ETags.expected(withIfMatch("W/\"zz\""), true, () -> 0), "weak never matches");
        assertEquals(OptionalLong.of(ETags.NONE), ETags.expected(withIfMatch("\"not base36!\""), true, () -> 0));
        assertEquals(OptionalLong.of(36), ETags.expected(withIfMatch("\"a\", \"10\""), true, () -> 36));
        assertEquals(OptionalLong.of(ETags.NONE), ETags.expected(withIfMatch("\"a\"", "\"b\""), true, () -> 12));
        Problem.Refused missing = assertThrows(Problem.Refused.class, () -> ETags.expected(withIfMatch(), true, () -> 0));
        assertEquals(428, missing.response.status());
    }

    @Test
    void mergePatchWhenRfc7396ExamplesThenTheirResults() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String[][] cases = {
                {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
                {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
                {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
                {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
                {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
                {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
                {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
                {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
                {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
                {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
        };
        for (String[] c : cases) {
            assertEquals(m.readTree(c[2]), JsonBody.mergePatch(m.readTree(c[0]), m.readTree(c[1])), c[0] + " + " + c[1]);
        }
    }
}
