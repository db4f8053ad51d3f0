package io.gatehouse.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    @ParameterizedTest
    @ValueSource(strings = {"{", "{}x", "{} {}", "{\"a\":1,\"a\":2}", "", "{'a':1}", "{\"a\":1 /*c*/}"})
    void parseWhenMalformedThenError(String doc) {
        assertThrows(Json.JsonException.class, () -> Json.parse(doc.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parseWhenDuplicateKeyThenSaysSo() {
        Json.JsonException e = assertThrows(Json.JsonException.class,
                () -> Json.parse("{\"client_secret\":\"x\",\"client_secret\":\"real\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Duplicate keys are not allowed", e.getMessage());
        assertFalse(e.getMessage().contains("real"));
    }

    @Test
    void parseWhenBomThenError() {
        byte[] doc = "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
        assertThrows(Json.JsonException.class, () -> Json.parse(doc));
    }

    @Test
    void parseWhenDeeplyNestedThenRefusedQuickly() {
        byte[] doc = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        assertThrows(Json.JsonException.class, () -> Json.parse(doc));
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }

    @Test
    void parseWhenValidThenTree() throws Exception {
        assertEquals("b", Json.parse("{\"a\":\"b\",\"extra\":[1,2]}".getBytes(StandardCharsets.UTF_8)).get("a").asText());
    }
}
