package io.gatehouse.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ScopeTest {
    @Test
    void parseKeepsOrderAndDropsDuplicates() {
        Scope s = Scope.parse("openid profile openid");
        assertEquals(List.of("openid", "profile"), s.asList());
        assertEquals("openid profile", s.asString());
    }

    @ParameterizedTest
    @ValueSource(strings = {" a", "a ", "a  b", "a\"b", "a\\b", "é"})
    void parseWhenMalformedThenRefused(String raw) {
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(raw));
    }

    @Test
    void parseWhenHugeThenRefusedWithoutSplitting() {
        String huge = "a ".repeat(100_000).trim();
        long t0 = System.nanoTime();
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(huge));
        assertTrue(System.nanoTime() - t0 < 50_000_000L);
    }

    @Test
    void containsAllIsSubset() {
        assertTrue(Scope.of("a", "b").containsAll(Scope.of("b")));
        assertFalse(Scope.of("a").containsAll(Scope.of("a", "c")));
        assertTrue(Scope.parse("").isEmpty());
    }

    @Test
    void clientIdLimits() {
        assertTrue(ClientId.isValid("x".repeat(50)));
        assertFalse(ClientId.isValid("x".repeat(51)));
        assertFalse(ClientId.isValid("a\nb"));
        assertFalse(ClientId.isValid("a\u0000b"));
        assertFalse(ClientId.isValid(""));
    }
}
