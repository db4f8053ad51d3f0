package io.gatehouse.core.token;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class SigningKeysTest {
    @Test
    void forKidWhenNullThenEmpty() {
        SigningKeys keys = new SigningKeys(new Fakes.Keys(), io.gatehouse.core.token.keys.KeyProtection.plaintext(), Clock.systemUTC());
        assertEquals(Optional.empty(), keys.forKid(null), "before any key is loaded");
        keys.ensure(List.of(SigningAlg.values()));
        assertEquals(Optional.empty(), keys.forKid(null), "with keys loaded");
    }

    @Test
    void forKidWhenKnownThenThatKeyAndWhenUnknownThenEmpty() {
        SigningKeys keys = new SigningKeys(new Fakes.Keys(), io.gatehouse.core.token.keys.KeyProtection.plaintext(), Clock.systemUTC());
        keys.ensure(List.of(SigningAlg.values()));
        SigningKeys.Key any = keys.all().getFirst();
        assertEquals(any.kid(), keys.forKid(any.kid()).orElseThrow().kid());
        assertEquals(Optional.empty(), keys.forKid("no-such-kid"));
        assertEquals(Optional.empty(), keys.forKid(""));
    }
}
