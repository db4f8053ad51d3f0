package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The lifecycle's state machine: what is due, as a pure function of the keys, the clock and the policy. */
class KeyRingTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final KeyPolicy POLICY = KeyPolicy.of(Duration.ofSeconds(300), Duration.ofDays(90));
    static final List<SigningAlg> RS = List.of(SigningAlg.RS256);

    static StoredKey key(String kid, State state, Instant created) {
        return StoredKey.created(kid, SigningAlg.RS256, state, "{}", created).withCertificateChain(List.of("MIIB"));
    }

    static StoredKey retired(String kid, Instant removeAfter) {
        return new StoredKey(kid, SigningAlg.RS256, State.RETIRED, "{}", Optional.empty(), List.of("MIIB"), T0,
                Optional.of(T0), Optional.of(T0), Optional.of(removeAfter));
    }

    @Test
    void policyPublishesANewKeyForMaxAgePlusOneRefreshAndNodesRefreshWithinMaxAge() {
        assertEquals(Duration.ofSeconds(60), POLICY.refreshInterval());
        assertEquals(Duration.ofSeconds(360), POLICY.publishDelay());
        assertEquals(Duration.ofSeconds(1), KeyPolicy.of(Duration.ofSeconds(2), Duration.ZERO).refreshInterval());
        assertTrue(POLICY.refreshInterval().compareTo(POLICY.jwksMaxAge()) <= 0);
        assertEquals(Duration.ofSeconds(60 + 3600 + 60), POLICY.retention(Duration.ofHours(1)));
    }

    @Test
    void dueWhenNoKeyThenCreateActive() {
        assertEquals(List.of(new KeyRing.CreateActive(SigningAlg.RS256)), new KeyRing(List.of()).due(T0, POLICY, RS));
    }

    @Test
    void dueWhenActiveAndNothingElseThenNothingUntilTheRotationPeriodEnds() {
        KeyRing ring = new KeyRing(List.of(key("a", State.ACTIVE, T0)));
        assertEquals(List.of(), ring.due(T0.plus(Duration.ofDays(89)), POLICY, RS));
        assertEquals(List.of(new KeyRing.CreateNext(SigningAlg.RS256)), ring.due(T0.plus(Duration.ofDays(90)), POLICY, RS));
        KeyPolicy off = KeyPolicy.of(Duration.ofSeconds(300), Duration.ZERO);
        assertEquals(List.of(), ring.due(T0.plus(Duration.ofDays(900)), off, RS), "rotation period 0: never");
    }

    @Test
    void dueWhenNextKeyThenPromotedOnlyOncePublishedForThePublishDelay() {
        Instant created = T0.plus(Duration.ofDays(1));
        KeyRing ring = new KeyRing(List.of(key("a", State.ACTIVE, T0), key("b", State.NEXT, created)));
        assertEquals(List.of(), ring.due(created, POLICY, RS));
        assertEquals(List.of(), ring.due(created.plus(POLICY.publishDelay()).minusSeconds(1), POLICY, RS),
                "not before every node published it for a whole max-age");
        assertEquals(List.of(new KeyRing.Promote(SigningAlg.RS256, "b", Optional.of("a"))),
                ring.due(created.plus(POLICY.publishDelay()), POLICY, RS));
        assertEquals(created.plus(Duration.ofSeconds(360)), KeyRing.promotableAt(ring.next(SigningAlg.RS256).orElseThrow(), POLICY));
    }

    @Test
    void dueWhenNextKeyButNoActiveThenPromotedAtOnce() {
        KeyRing ring = new KeyRing(List.of(key("b", State.NEXT, T0)));
        assertEquals(List.of(new KeyRing.Promote(SigningAlg.RS256, "b", Optional.empty())), ring.due(T0, POLICY, RS));
    }

    @Test
    void dueWhenRetiredKeyThenRemovedOnlyOnceItsTokensExpired() {
        KeyRing ring = new KeyRing(List.of(key("a", State.ACTIVE, T0), retired("old", T0.plusSeconds(100))));
        assertEquals(List.of(), ring.due(T0.plusSeconds(99), POLICY, RS));
        assertEquals(List.of(new KeyRing.Remove(SigningAlg.RS256, "old")), ring.due(T0.plusSeconds(100), POLICY, RS));
    }

    @Test
    void dueWhenAKeyHasNoCertificateThenOneIsMadeForIt() {
        KeyRing ring = new KeyRing(List.of(StoredKey.created("old", SigningAlg.RS256, State.ACTIVE, "{}", T0)));
        assertEquals(List.of(new KeyRing.Certify(SigningAlg.RS256, "old")), ring.due(T0, POLICY, RS));
    }

    @Test
    void dueWhenSeveralAlgorithmsThenEachOnItsOwn() {
        KeyRing ring = new KeyRing(List.of(key("a", State.ACTIVE, T0)));
        assertEquals(List.of(new KeyRing.CreateActive(SigningAlg.ES256)),
                ring.due(T0, POLICY, List.of(SigningAlg.RS256, SigningAlg.ES256)));
    }

    @Test
    void aRotationRunsItsWholeCourseUnderAControlledClock() {
        // The scheduled rotation of one algorithm, step by step, as the nodes' ticks would apply it.
        io.gatehouse.testing.Fakes.Keys store = new io.gatehouse.testing.Fakes.Keys();
        io.gatehouse.testing.Fakes.MutableClock clock = new io.gatehouse.testing.Fakes.MutableClock(T0);
        var keys = new io.gatehouse.core.token.SigningKeys(store, KeyProtection.plaintext(), clock);
        List<String> events = new java.util.ArrayList<>();
        KeyRotation rotation = new KeyRotation(store, keys, POLICY, () -> Duration.ofHours(1),
                (kid, alg, change, actor) -> events.add(change), clock, List.of(SigningAlg.ES256));
        rotation.tick("test");
        String first = store.all().getFirst().kid();
        assertEquals(List.of("created as active"), events);
        clock.advance(Duration.ofDays(90));
        rotation.tick("test");
        String second = new KeyRing(store.all()).next(SigningAlg.ES256).orElseThrow().kid();
        clock.advance(POLICY.publishDelay().minusSeconds(1));
        assertEquals(List.of(), rotation.tick("test"), "published, not signing yet");
        clock.advance(Duration.ofSeconds(1));
        rotation.tick("test");
        KeyRing ring = new KeyRing(store.all());
        assertEquals(second, ring.active(SigningAlg.ES256).orElseThrow().kid());
        StoredKey old = ring.byKid(first).orElseThrow();
        assertEquals(State.RETIRED, old.state());
        assertEquals(Optional.of(clock.instant().plus(POLICY.retention(Duration.ofHours(1)))), old.removeAfter());
        clock.set(old.removeAfter().orElseThrow());
        rotation.tick("test");
        assertTrue(new KeyRing(store.all()).byKid(first).isEmpty(), "removed once nothing it signed can be valid");
        assertEquals(List.of("created as active", "created as next", "promoted to active",
                "retired (published until " + old.removeAfter().get() + ")", "removed (nothing it signed is valid any more)"), events);
    }
}
