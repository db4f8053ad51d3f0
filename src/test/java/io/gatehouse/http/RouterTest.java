package io.gatehouse.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouterTest {
    private static WebRequest req(String method, String path) {
        return new WebRequest(method, path, "", Map.of(), null, false, "127.0.0.1", false);
    }

    private static Router router() {
        Router r = new Router();
        r.get("/a/{id}", q -> WebResponse.text(200, "one " + q.pathParameter("id")));
        r.add("DELETE", "/a/{id}", q -> WebResponse.text(204, ""));
        r.get("/a/{id}/b/{name}", q -> WebResponse.text(200, q.pathParameter("id") + "|" + q.pathParameter("name")));
        r.get("/a/fixed", q -> WebResponse.text(200, "exact"));
        r.ready();
        return r;
    }

    private static String body(WebResponse r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void dispatchWhenPathHasParametersThenDecodedValuesReachTheEndpoint() {
        Router r = router();
        assertEquals("one x y", body(r.dispatch(req("GET", "/a/x%20y"))));
        assertEquals("team/app|caf\u00e9", body(r.dispatch(req("GET", "/a/team%2Fapp/b/caf%C3%A9"))));
        assertEquals("exact", body(r.dispatch(req("GET", "/a/fixed"))), "exact paths first");
        assertEquals(204, r.dispatch(req("DELETE", "/a/1")).status());
    }

    @Test
    void dispatchWhenNoTemplateMatchesThen404And405WithAllow() {
        Router r = router();
        for (String p : List.of("/a/", "/a", "/a/1/b", "/a/1/b/", "/a/%zz", "/a/%C3", "/a/1/c/2")) {
            assertEquals(404, r.dispatch(req("GET", p)).status(), p);
        }
        WebResponse m = r.dispatch(req("POST", "/a/1"));
        assertEquals(405, m.status());
        assertEquals("DELETE, GET, HEAD", m.header("Allow"));
        assertEquals(Set.of("GET", "HEAD", "DELETE"), r.routes().get("/a/{id}"));
    }

    @Test
    void percentDecodeWhenMalformedThenNull() {
        assertEquals("a/b", Router.percentDecode("a%2fb"));
        assertNull(Router.percentDecode("%"));
        assertNull(Router.percentDecode("%g1"));
        assertNull(Router.percentDecode("%FF"));
        assertNull(Router.percentDecode("\u00e9"));
    }
}
