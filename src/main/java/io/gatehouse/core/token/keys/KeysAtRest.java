package io.gatehouse.core.token.keys;

import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Encryption at rest of the stored private keys: sealing the plain rows left from before a KEK was configured, and
 * re-sealing every key under a new KEK ({@code keys rewrap}). Both report each key to {@link KeyEvents}.
 */
public final class KeysAtRest {
    /** The operation was refused; nothing was changed. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private KeysAtRest() {
    }

    /**
     * Opens every stored key, so that a key that cannot be opened (another KEK, a corrupt row) stops a start before
     * anything is written. @throws KeyProtection.Failure naming the first such key
     */
    public static void openAll(KeyStore store, KeyProtection protection) {
        for (StoredKey k : store.all()) protection.open(k);
    }

    /**
     * Seals every plain (unencrypted) stored key under {@code protection}'s KEK. Each is a conditional update on the
     * plain value, so that two nodes starting together seal each key once. @return the kids this call sealed
     */
    public static List<String> sealPlain(KeyStore store, KeyProtection protection, KeyEvents events, String actor) {
        String kekId = protection.kekId().orElseThrow(() -> new IllegalStateException("no key-encryption key"));
        List<String> sealed = new ArrayList<>();
        for (StoredKey k : store.all()) {
            if (k.kekId().isPresent()) continue;
            KeyProtection.Sealed s = protection.seal(k.kid(), k.alg(), k.privateKey());
            if (store.replacePrivateKey(k.kid(), k.privateKey(), s.value(), s.kekId())) {
                events.keyChanged(k.kid(), k.alg(), "encrypted at rest (KEK id " + kekId + ")", actor);
                sealed.add(k.kid());
            }
        }
        return sealed;
    }

    /**
     * Re-seals every stored key under {@code next}, in one transaction: each key is opened with {@code current}
     * first, so a key that does not open (wrong KEK, corrupt) refuses the whole operation and nothing is changed.
     *
     * @return the re-sealed keys, as they were before
     * @throws KeyProtection.Failure when a key cannot be opened with {@code current}
     * @throws Refused when a key was added, removed or changed meanwhile
     */
    public static List<StoredKey> rewrap(KeyStore store, KeyProtection current, KeyProtection next, KeyEvents events,
                                         String actor) {
        String nextId = next.kekId().orElseThrow(() -> new IllegalStateException("no new key-encryption key"));
        List<StoredKey> keys = store.all();
        List<KeyStore.Replacement> replacements = new ArrayList<>();
        for (StoredKey k : keys) {
            KeyProtection.Sealed s = next.seal(k.kid(), k.alg(), current.open(k));
            replacements.add(new KeyStore.Replacement(k.kid(), k.privateKey(), s.value(), s.kekId()));
        }
        if (!store.replaceAllPrivateKeys(replacements)) {
            throw new Refused("the signing keys were changed by another process meanwhile (a running server or CLI "
                    + "command?); nothing was re-encrypted: stop every server and try again");
        }
        for (StoredKey k : keys) {
            events.keyChanged(k.kid(), k.alg(), "re-encrypted under KEK id " + nextId + " (was "
                    + k.kekId().map(id -> "KEK id " + id).orElse("not encrypted") + ")", actor);
        }
        return keys;
    }
}
