package io.gatehouse.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class RedirectUrisTest {
    @Test
    void exactMatchOnly() {
        List<String> reg = List.of("https://app.example/cb");
        assertEquals(Optional.of("https://app.example/cb"), RedirectUris.match(reg, "https://app.example/cb"));
        for (String s : List.of("https://app.example/cb/", "https://app.example/Cb", "https://app.example/cb?x",
                "https://app.example:443/cb", "https://app.example/./cb")) {
            assertTrue(RedirectUris.match(reg, s).isEmpty(), s);
        }
    }

    @Test
    void loopbackIpLiteralMatchesAnyPortButNothingElse() {
        List<String> reg = List.of("http://127.0.0.1/cb", "http://[::1]:8080/done?x=1");
        assertEquals(Optional.of("http://127.0.0.1:5000/cb"), RedirectUris.match(reg, "http://127.0.0.1:5000/cb"));
        assertEquals(Optional.of("http://127.0.0.1/cb"), RedirectUris.match(reg, "http://127.0.0.1/cb"));
        assertEquals(Optional.of("http://[::1]:9/done?x=1"), RedirectUris.match(reg, "http://[::1]:9/done?x=1"));
        for (String s : List.of("http://127.0.0.1:5000/cb/", "http://[::1]:5000/cb", "http://127.0.0.1:70000/cb",
                "http://localhost:5000/cb", "https://127.0.0.1:5000/cb", "http://127.0.0.1:5000/done?x=1",
                "http://[::1]:9/done?x=2")) {
            assertTrue(RedirectUris.match(reg, s).isEmpty(), s);
        }
    }
}
