package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The operator's key commands: what they change, and what they refuse (changing nothing). */
class KeyRotationTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final KeyPolicy POLICY = KeyPolicy.of(Duration.ofSeconds(300), Duration.ofDays(90));

    Fakes.Keys store;
    Fakes.MutableClock clock;
    KeyRotation rotation;
    List<String> events;
    String active;

    @BeforeEach
    void setUp() {
        store = new Fakes.Keys();
        clock = new Fakes.MutableClock(T0);
        events = new ArrayList<>();
        rotation = new KeyRotation(store, new SigningKeys(store, KeyProtection.plaintext(), clock), POLICY,
                () -> Duration.ofHours(2), (kid, alg, change, actor) -> events.add(change + " by " + actor), clock,
                List.of(SigningAlg.ES256));
        rotation.tick("schedule");
        active = store.all().getFirst().kid();
    }

    List<StoredKey> before() {
        return store.all();
    }

    @Test
    void rotateThenANextKeyThatSignsOnlyAfterThePublishDelay() {
        StoredKey next = rotation.rotate(SigningAlg.ES256, "cli");
        assertEquals(State.NEXT, next.state());
        assertEquals(T0.plus(POLICY.publishDelay()), KeyRing.promotableAt(next, POLICY));
        assertTrue(events.contains("created as next by cli"));
        List<StoredKey> keys = before();
        KeyRotation.Refused e = assertThrows(KeyRotation.Refused.class, () -> rotation.rotate(SigningAlg.ES256, "cli"));
        assertTrue(e.getMessage().contains("a next ES256 key exists already (" + next.kid() + ")"), e.getMessage());
        assertEquals(keys, store.all());
    }

    @Test
    void retireWhenOnlyActiveKeyThenRefusedUnlessForceWhichMakesANewKeyAtOnce() {
        List<StoredKey> keys = before();
        KeyRotation.Refused e = assertThrows(KeyRotation.Refused.class, () -> rotation.retire(active, false, "cli"));
        assertTrue(e.getMessage().contains("is the only ES256 key that signs"), e.getMessage());
        assertEquals(keys, store.all());

        String message = rotation.retire(active, true, "cli");
        KeyRing ring = new KeyRing(store.all());
        assertEquals(State.RETIRED, ring.byKid(active).orElseThrow().state());
        String successor = ring.active(SigningAlg.ES256).orElseThrow().kid();
        assertNotEquals(active, successor);
        assertEquals("retired " + active + "; " + successor + " signs ES256 tokens now", message);
        assertEquals(T0.plus(POLICY.retention(Duration.ofHours(2))), ring.byKid(active).orElseThrow().removeAfter().orElseThrow());
    }

    @Test
    void retireWhenNextKeyNotPublishedLongEnoughThenRefusedUntilThenOrForced() {
        StoredKey next = rotation.rotate(SigningAlg.ES256, "cli");
        List<StoredKey> keys = before();
        KeyRotation.Refused e = assertThrows(KeyRotation.Refused.class, () -> rotation.retire(active, false, "cli"));
        assertTrue(e.getMessage().contains("has not been published long enough"), e.getMessage());
        assertEquals(keys, store.all());
        clock.advance(POLICY.publishDelay());
        rotation.retire(active, false, "cli");
        assertEquals(next.kid(), new KeyRing(store.all()).active(SigningAlg.ES256).orElseThrow().kid());
    }

    @Test
    void retireWhenNextKeyThenItIsRetiredWithoutEverSigning() {
        StoredKey next = rotation.rotate(SigningAlg.ES256, "cli");
        rotation.retire(next.kid(), false, "cli");
        StoredKey r = new KeyRing(store.all()).byKid(next.kid()).orElseThrow();
        assertEquals(State.RETIRED, r.state());
        assertEquals(T0, r.removeAfter().orElseThrow());
        assertThrows(KeyRotation.Refused.class, () -> rotation.retire(next.kid(), false, "cli"), "retired already");
        assertThrows(KeyRotation.Refused.class, () -> rotation.retire("no-such-kid", true, "cli"));
    }

    @Test
    void removeWhenActiveThenAlwaysRefused() {
        List<StoredKey> keys = before();
        KeyRotation.Refused e = assertThrows(KeyRotation.Refused.class, () -> rotation.remove(active, true, "cli"));
        assertTrue(e.getMessage().contains("retire it first"), e.getMessage());
        assertEquals(keys, store.all());
    }

    @Test
    void removeWhenRetiredThenRefusedWhileItsTokensMayBeValidUnlessForce() {
        rotation.retire(active, true, "cli");
        List<StoredKey> keys = before();
        KeyRotation.Refused e = assertThrows(KeyRotation.Refused.class, () -> rotation.remove(active, false, "cli"));
        assertTrue(e.getMessage().contains("may be valid until"), e.getMessage());
        assertEquals(keys, store.all());
        assertEquals("removed " + active, rotation.remove(active, true, "cli"));
        assertTrue(new KeyRing(store.all()).byKid(active).isEmpty());
        assertTrue(events.contains("removed (forced) by cli"));
    }

    @Test
    void removeWhenNextKeyThenRemovedAtOnce() {
        StoredKey next = rotation.rotate(SigningAlg.ES256, "cli");
        rotation.remove(next.kid(), false, "cli");
        assertTrue(new KeyRing(store.all()).next(SigningAlg.ES256).isEmpty());
    }
}
