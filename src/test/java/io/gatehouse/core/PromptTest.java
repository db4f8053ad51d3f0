package io.gatehouse.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class PromptTest {
    @Test
    void parsesKnownValuesAndRefusesTheRest() {
        assertEquals(Set.of(), Prompt.parse(Optional.empty()));
        assertEquals(Set.of("login", "consent"), Prompt.parse(Optional.of("login consent")));
        assertThrows(IllegalArgumentException.class, () -> Prompt.parse(Optional.of("none login")));
        assertThrows(IllegalArgumentException.class, () -> Prompt.parse(Optional.of("login  consent")));
        assertThrows(IllegalArgumentException.class, () -> Prompt.parse(Optional.of("bogus")));
    }
}
