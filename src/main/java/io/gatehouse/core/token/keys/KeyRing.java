package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The key lifecycle as a pure function of the stored keys, the clock and the {@link KeyPolicy}: which key signs for
 * an algorithm, which keys are published, and which state changes are due. No I/O: {@link KeyRotation} carries the
 * steps out.
 *
 * <pre>
 *   (none) --first start--> active
 *   (none) --rotate / schedule--> next --published for publishDelay--> active --successor promoted--> retired
 *   retired --removeAfter passed--> (removed)
 * </pre>
 *
 * Every key has an X.509 certificate (published as x5c); a key stored without one gets a self-signed one.
 */
public final class KeyRing {
    /** One due state change. */
    public sealed interface Step {
        SigningAlg alg();
    }

    /** The algorithm has no key at all (first start): a key that signs at once. */
    public record CreateActive(SigningAlg alg) implements Step {
    }

    /** The active key is older than the rotation period and has no successor yet. */
    public record CreateNext(SigningAlg alg) implements Step {
    }

    /** {@code next} takes over; {@code retiring} (when the algorithm has an active key) stops signing. */
    public record Promote(SigningAlg alg, String next, Optional<String> retiring) implements Step {
    }

    /** A retired key whose tokens have all expired leaves the JWKS. */
    public record Remove(SigningAlg alg, String kid) implements Step {
    }

    /** A key without a certificate (made before keys had them, perhaps by an older node) gets a self-signed one. */
    public record Certify(SigningAlg alg, String kid) implements Step {
    }

    private final List<StoredKey> keys;

    public KeyRing(Collection<StoredKey> keys) {
        this.keys = List.copyOf(keys);
    }

    public List<StoredKey> keys() {
        return keys;
    }

    public Optional<StoredKey> active(SigningAlg alg) {
        return find(alg, State.ACTIVE);
    }

    public Optional<StoredKey> next(SigningAlg alg) {
        return find(alg, State.NEXT);
    }

    public Optional<StoredKey> byKid(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** When a next key may start signing: once it has been published for the policy's publish delay. */
    public static Instant promotableAt(StoredKey next, KeyPolicy policy) {
        return next.createdAt().plus(policy.publishDelay());
    }

    /** The state changes due at {@code now} for the algorithms in use, in the order to apply them. */
    public List<Step> due(Instant now, KeyPolicy policy, Collection<SigningAlg> algs) {
        List<Step> steps = new ArrayList<>();
        for (SigningAlg alg : algs) {
            Optional<StoredKey> active = active(alg);
            Optional<StoredKey> next = next(alg);
            if (active.isEmpty() && next.isEmpty()) {
                steps.add(new CreateActive(alg));
            } else if (active.isEmpty()) {
                steps.add(new Promote(alg, next.get().kid(), Optional.empty()));  // nothing signs: no reason to wait
            } else if (next.isPresent()) {
                if (!now.isBefore(promotableAt(next.get(), policy))) {
                    steps.add(new Promote(alg, next.get().kid(), Optional.of(active.get().kid())));
                }
            } else if (!policy.rotationPeriod().isZero()
                    && !now.isBefore(active.get().activatedAt().orElse(active.get().createdAt()).plus(policy.rotationPeriod()))) {
                steps.add(new CreateNext(alg));
            }
        }
        List<Step> certify = new ArrayList<>();
        for (StoredKey k : keys) {
            if (k.state() == State.RETIRED && k.removeAfter().map(t -> !now.isBefore(t)).orElse(true)) {
                steps.add(new Remove(k.alg(), k.kid()));
            } else if (k.certificateChain().isEmpty()) {
                certify.add(new Certify(k.alg(), k.kid()));
            }
        }
        steps.addAll(certify);
        return steps;
    }

    private Optional<StoredKey> find(SigningAlg alg, State state) {
        return keys.stream().filter(k -> k.alg() == alg && k.state() == state).findFirst();
    }
}
