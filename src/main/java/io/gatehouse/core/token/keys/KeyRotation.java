package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.SigningKeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The key lifecycle use cases: the scheduled {@link #tick} (create, promote, remove as {@link KeyRing} says), and the
 * operator's {@link #rotate}, {@link #retire} and {@link #remove}. Every change is a conditional update in the store
 * (a node that loses a race changes nothing) and is reported to {@link KeyEvents} with its actor. Refusals are
 * {@link Refused} with a message for the operator, and change nothing.
 */
public final class KeyRotation {
    /** The operation was refused; nothing was changed. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final KeyStore store;
    private final SigningKeys keys;
    private final KeyPolicy policy;
    private final Supplier<Duration> longestTokenLifetime;
    private final KeyEvents events;
    private final Clock clock;
    private final Collection<SigningAlg> algs;

    /**
     * @param longestTokenLifetime the longest lifetime of anything a key may have signed (access and ID tokens of
     *                             every client), read when a key is retired
     */
    public KeyRotation(KeyStore store, SigningKeys keys, KeyPolicy policy, Supplier<Duration> longestTokenLifetime,
                       KeyEvents events, Clock clock, Collection<SigningAlg> algs) {
        this.store = store;
        this.keys = keys;
        this.policy = policy;
        this.longestTokenLifetime = longestTokenLifetime;
        this.events = events;
        this.clock = clock;
        this.algs = List.copyOf(algs);
    }

    public KeyPolicy policy() {
        return policy;
    }

    /** The longest lifetime of an access or ID token of any client (at least an hour): a retired key's retention. */
    public static Duration longestTokenLifetime(ClientRepository clients) {
        Duration longest = Duration.ofHours(1);
        for (var c : clients.list()) {
            if (c.accessTokenTtl().compareTo(longest) > 0) longest = c.accessTokenTtl();
            if (c.idTokenTtl().compareTo(longest) > 0) longest = c.idTokenTtl();
        }
        return longest;
    }

    /** Carries out every due state change (first keys, scheduled successors, promotions, removals). */
    public List<KeyRing.Step> tick(String actor) {
        Instant now = clock.instant();
        List<KeyRing.Step> done = new ArrayList<>();
        KeyRing ring = new KeyRing(store.all());
        for (KeyRing.Step step : ring.due(now, policy, algs)) {
            if (apply(ring, step, now, actor)) done.add(step);
        }
        return done;
    }

    private boolean apply(KeyRing ring, KeyRing.Step step, Instant now, String actor) {
        return switch (step) {
            case KeyRing.CreateActive c -> create(c.alg(), State.ACTIVE, actor).isPresent();
            case KeyRing.CreateNext c -> create(c.alg(), State.NEXT, actor).isPresent();
            case KeyRing.Promote p -> promote(p.alg(), p.next(), p.retiring(), now, actor);
            case KeyRing.Remove r -> {
                boolean removed = store.remove(r.kid(), State.RETIRED);
                if (removed) events.keyChanged(r.kid(), r.alg(), "removed (nothing it signed is valid any more)", actor);
                yield removed;
            }
            case KeyRing.Certify c -> {
                // Conditional: when several nodes start at once, one certificate wins and the others change nothing.
                boolean set = store.setCertificateChain(c.kid(), keys.selfSignedCertificate(ring.byKid(c.kid()).orElseThrow()));
                if (set) events.keyChanged(c.kid(), c.alg(), "self-signed certificate created", actor);
                yield set;
            }
        };
    }

    /** The stored keys, oldest first. */
    public List<StoredKey> list() {
        return store.all();
    }

    /**
     * Creates a next key for {@code alg}: published at once, signing once it has been published for the policy's
     * publish delay.
     */
    public StoredKey rotate(SigningAlg alg, String actor) {
        KeyRing ring = new KeyRing(store.all());
        ring.next(alg).ifPresent(n -> {
            throw new Refused("a next " + alg + " key exists already (" + n.kid() + "); it starts signing at "
                    + KeyRing.promotableAt(n, policy));
        });
        return create(alg, State.NEXT, actor).orElseThrow(() -> new Refused("another process created a next " + alg
                + " key at the same moment; see `keys list`"));
    }

    /**
     * Stops a key from signing. A next key is simply retired. An active key hands over to its algorithm's next key,
     * which must have been published for the publish delay, unless {@code force}; with {@code force} and no next key,
     * a new key is made and signs at once (for a compromised key: clients with a cached JWKS reject the new tokens
     * until they fetch it again).
     */
    public String retire(String kid, boolean force, String actor) {
        Instant now = clock.instant();
        KeyRing ring = new KeyRing(store.all());
        StoredKey key = ring.byKid(kid).orElseThrow(() -> new Refused("no key " + kid));
        switch (key.state()) {
            case RETIRED -> throw new Refused("key " + kid + " is retired already");
            case NEXT -> {
                if (!store.retire(kid, State.NEXT, now, now)) throw changed(kid);
                events.keyChanged(kid, key.alg(), "retired (it never signed)", actor);
                return "retired " + kid + " (it never signed; it is removed with the next clean-up)";
            }
            case ACTIVE -> {
                Optional<StoredKey> next = ring.next(key.alg());
                if (next.isEmpty() && !force) {
                    throw new Refused("key " + kid + " is the only " + key.alg() + " key that signs: run `keys rotate --alg "
                            + key.alg() + "` first (it takes over once published), or retire with --force to replace it now");
                }
                if (next.isPresent() && now.isBefore(KeyRing.promotableAt(next.get(), policy)) && !force) {
                    throw new Refused("the next " + key.alg() + " key " + next.get().kid() + " has not been published long "
                            + "enough; it takes over by itself at " + KeyRing.promotableAt(next.get(), policy)
                            + " (or retire with --force to switch now)");
                }
                String successor = next.map(StoredKey::kid).orElseGet(() -> create(key.alg(), State.NEXT, actor)
                        .orElseThrow(() -> new Refused("another process created a next key at the same moment")).kid());
                if (!promote(key.alg(), successor, Optional.of(kid), now, actor)) throw changed(kid);
                return "retired " + kid + "; " + successor + " signs " + key.alg() + " tokens now";
            }
        }
        throw new IllegalStateException();
    }

    /**
     * Deletes a key. Never the active one (retire it first); a retired key only once nothing it signed can still be
     * valid, unless {@code force}.
     */
    public String remove(String kid, boolean force, String actor) {
        Instant now = clock.instant();
        StoredKey key = new KeyRing(store.all()).byKid(kid).orElseThrow(() -> new Refused("no key " + kid));
        if (key.state() == State.ACTIVE) {
            throw new Refused("key " + kid + " signs " + key.alg() + " tokens: retire it first (`keys retire " + kid + "`)");
        }
        if (key.state() == State.RETIRED && key.removeAfter().map(now::isBefore).orElse(false) && !force) {
            throw new Refused("tokens signed by " + kid + " may be valid until " + key.removeAfter().get()
                    + "; it is removed by itself then (or remove with --force: those tokens then fail to verify)");
        }
        if (!store.remove(kid, key.state())) throw changed(kid);
        events.keyChanged(kid, key.alg(), "removed" + (force ? " (forced)" : ""), actor);
        return "removed " + kid;
    }

    /**
     * Stores an imported key (sealed with the configured protection; a self-signed certificate when the file had
     * none), keeping its kid so that tokens it signed elsewhere verify against this server's JWKS.
     * <ul>
     *   <li>{@code next} (the default): published at once; it signs, and the active key of its algorithm retires,
     *   once it has been published for the publish delay (at once when the algorithm has no active key).</li>
     *   <li>{@code active}: inserted as next and promoted at once, retiring the algorithm's active key (as
     *   {@code keys retire --force}: a resource server holding a JWKS fetched before rejects its tokens until it
     *   fetches it again).</li>
     *   <li>{@code retired}: published only, to verify tokens it signed elsewhere, until they have expired (the
     *   longest token lifetime of any client from now, as any retired key).</li>
     * </ul>
     * Refused, changing nothing, when the kid exists, the key is stored already under another kid (found by its
     * certificate), or (next, active) the algorithm has a next key already.
     *
     * @return what was done, for the operator
     */
    public String importKey(KeyImport.Imported k, State state, String actor) {
        Instant now = clock.instant();
        KeyRing ring = new KeyRing(store.all());
        SigningAlg alg = k.alg();
        ring.byKid(k.kid()).ifPresent(e -> {
            throw new KeyImport.Invalid("a key with kid " + k.kid() + " exists already (" + e.alg() + ", "
                    + e.state().name().toLowerCase(java.util.Locale.ROOT) + "); choose another with --kid");
        });
        for (StoredKey e : ring.keys()) {  // the same key under a second kid: found by its certificate, nothing opened
            if (!e.certificateChain().isEmpty() && certifies(e.certificateChain().getFirst(), k)) {
                throw new KeyImport.Invalid("this key is stored already as " + e.kid() + " (" + e.alg() + ", "
                        + e.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        String lost = "another process changed the " + alg + " keys at the same moment; nothing was imported: see "
                + "`keys list` and try again";
        if (state == State.RETIRED) {
            Instant removeAfter = now.plus(policy.retention(longestTokenLifetime.get()));
            StoredKey s = keys.newStoredKey(k.privateJwk(), alg, State.NEXT, k.certificateChain());
            StoredKey retired = new StoredKey(s.kid(), alg, State.RETIRED, s.privateKey(), s.kekId(), s.certificateChain(),
                    s.createdAt(), Optional.empty(), Optional.of(now), Optional.of(removeAfter));
            if (!store.insert(retired)) throw new KeyImport.Invalid(lost);
            events.keyChanged(k.kid(), alg, "imported as retired (published until " + removeAfter + ")", actor);
            return "imported " + k.kid() + " (" + alg + ") as retired: it verifies, never signs, and is published until "
                    + removeAfter;
        }
        ring.next(alg).ifPresent(n -> {
            throw new KeyImport.Invalid("a next " + alg + " key exists already (" + n.kid() + "): retire it first (`keys "
                    + "retire " + n.kid() + "`), or import with --state retired");
        });
        StoredKey s = keys.newStoredKey(k.privateJwk(), alg, State.NEXT, k.certificateChain());
        if (!store.insert(s)) throw new KeyImport.Invalid(lost);
        events.keyChanged(k.kid(), alg, "imported as next", actor);
        Optional<String> active = ring.active(alg).map(StoredKey::kid);
        if (state == State.NEXT) {
            return "imported " + k.kid() + " (" + alg + ") as next: published now; it signs " + alg + " tokens "
                    + (active.isPresent() ? "from " + KeyRing.promotableAt(s, policy) + ", when " + active.get() + " retires"
                    : "once a server runs its next key check (no " + alg + " key signs now)");
        }
        if (!promote(alg, k.kid(), active, now, actor)) {
            if (store.remove(k.kid(), State.NEXT)) {
                events.keyChanged(k.kid(), alg, "removed (the import could not be made active)", actor);
                throw new KeyImport.Invalid(lost);
            }
            // No longer next: a node promoted it meanwhile (the algorithm had no active key), or it was changed.
            Optional<StoredKey> current = new KeyRing(store.all()).byKid(k.kid());
            if (current.isEmpty() || current.get().state() != State.ACTIVE) {
                throw new KeyImport.Invalid("key " + k.kid() + " was imported as next, but another process changed it "
                        + "before it could be made active: see `keys list`");
            }
        }
        return "imported " + k.kid() + " (" + alg + ") as active: it signs " + alg + " tokens now"
                + active.map(a -> "; " + a + " is retired").orElse("")
                + " (resource servers holding an older copy of the JWKS reject its tokens until they fetch it again)";
    }

    private static boolean certifies(String certificate, KeyImport.Imported k) {
        try {
            return io.gatehouse.core.token.KeyCertificates.matches(k.privateJwk(), certificate);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<StoredKey> create(SigningAlg alg, State state, String actor) {
        StoredKey k = keys.newKey(alg, state);
        if (!store.insert(k)) return Optional.empty();  // another node made one first
        events.keyChanged(k.kid(), alg, "created as " + state.name().toLowerCase(java.util.Locale.ROOT), actor);
        return Optional.of(k);
    }

    private boolean promote(SigningAlg alg, String next, Optional<String> retiring, Instant now, String actor) {
        Instant removeAfter = now.plus(policy.retention(longestTokenLifetime.get()));
        if (!store.promote(next, retiring, now, removeAfter)) return false;
        events.keyChanged(next, alg, "promoted to active", actor);
        retiring.ifPresent(r -> events.keyChanged(r, alg, "retired (published until " + removeAfter + ")", actor));
        return true;
    }

    private static Refused changed(String kid) {
        return new Refused("key " + kid + " was changed by another process meanwhile; see `keys list` and try again");
    }
}
