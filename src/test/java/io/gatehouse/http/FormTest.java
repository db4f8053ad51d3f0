package io.gatehouse.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class FormTest {
    @Test
    void parseWhenEncodedThenDecodesPlusAndPercentAsUtf8() throws Exception {
        Form f = Form.parse("a=b+c&name=%C3%A9t%C3%A9&empty=&flag");
        assertEquals(Optional.of("b c"), f.single("a"));
        assertEquals(Optional.of("été"), f.single("name"));
        assertEquals(Optional.empty(), f.single("empty"));
        assertEquals(Optional.empty(), f.single("flag"));
        assertTrue(f.has("flag"));
    }

    @Test
    void singleWhenRepeatedThenError() throws Exception {
        Form f = Form.parse("a=1&a=2");
        assertEquals(List.of("1", "2"), f.all("a"));
        assertThrows(Form.FormException.class, () -> f.single("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%2", "a=%zz", "a=%C3%28", "=x", "a=%00", "a=%0D%0A", "%=1"})
    void parseWhenMalformedThenError(String raw) {
        assertThrows(Form.FormException.class, () -> Form.parse(raw));
    }

    @Test
    void parseWhenRawBytesNotUtf8ThenError() {
        assertThrows(Form.FormException.class, () -> Form.parse("a=\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void parseWhenRawUtf8BytesThenDecoded() throws Exception {
        assertEquals(Optional.of("ü"), Form.parse("a=ü".getBytes(StandardCharsets.UTF_8)).single("a"));
    }

    @Test
    void parseWhenTooManyParametersThenError() {
        assertThrows(Form.FormException.class, () -> Form.parse("a=1&".repeat(Form.MAX_PARAMETERS + 1)));
    }

    @Test
    void errorMessagesNeverEchoValues() {
        Form.FormException e = assertThrows(Form.FormException.class, () -> Form.parse("secret=%zzhunter2"));
        assertFalse(e.getMessage().contains("hunter2"));
    }
}
