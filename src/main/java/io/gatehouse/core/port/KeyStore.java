package io.gatehouse.core.port;

import io.gatehouse.core.model.SigningAlg;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Signing keys with their lifecycle, shared by every node. State changes are conditional (on the state the caller
 * saw), so that two nodes never both promote, retire or remove the same key; the database allows one active and one
 * next key per algorithm.
 */
public interface KeyStore {
    /** next: published, not signing yet; active: signs (one per algorithm); retired: published, no longer signs. */
    enum State { NEXT, ACTIVE, RETIRED }

    /**
     * A stored key.
     *
     * @param privateKey       the private JWK, as JSON while {@code kekId} is empty, else sealed by the key-encryption
     *                         key it names (see {@code KeyProtection})
     * @param certificateChain X.509 certificates, base64 DER, leaf first (empty until one is made or imported)
     * @param removeAfter      for a retired key: when nothing it signed can still be valid
     */
    record StoredKey(String kid, SigningAlg alg, State state, String privateKey, Optional<String> kekId,
                     List<String> certificateChain, Instant createdAt, Optional<Instant> activatedAt,
                     Optional<Instant> retiredAt, Optional<Instant> removeAfter) {
        public StoredKey {
            certificateChain = List.copyOf(certificateChain);
        }

        /** A new key (no certificate yet), as generated. */
        public static StoredKey created(String kid, SigningAlg alg, State state, String privateKey, Instant now) {
            return new StoredKey(kid, alg, state, privateKey, Optional.empty(), List.of(), now,
                    state == State.ACTIVE ? Optional.of(now) : Optional.empty(), Optional.empty(), Optional.empty());
        }

        public StoredKey withPrivateKey(String sealed, Optional<String> kek) {
            return new StoredKey(kid, alg, state, sealed, kek, certificateChain, createdAt, activatedAt, retiredAt, removeAfter);
        }

        public StoredKey withCertificateChain(List<String> chain) {
            return new StoredKey(kid, alg, state, privateKey, kekId, chain, createdAt, activatedAt, retiredAt, removeAfter);
        }

        @Override
        public String toString() {
            return "StoredKey[kid=" + kid + ", alg=" + alg + ", state=" + state + "]";
        }
    }

    List<StoredKey> all();

    /** @return false when the kid exists, or the algorithm has an active (next) key already and this one is active (next) */
    boolean insert(StoredKey key);

    /**
     * In one transaction: {@code retiring} (if given) goes from active to retired with {@code removeAfter}, and
     * {@code next} from next to active. @return false, changing nothing, when either is no longer in that state
     */
    boolean promote(String next, Optional<String> retiring, Instant now, Instant removeAfter);

    /** A next or active key becomes retired. @return false when it is no longer in state {@code from} */
    boolean retire(String kid, State from, Instant now, Instant removeAfter);

    /** Deletes a key that is in state {@code from}. @return false when it is not (or gone already) */
    boolean remove(String kid, State from);

    /** Replaces the private key (sealing, re-sealing). @return false when it is no longer {@code expected} */
    boolean replacePrivateKey(String kid, String expected, String privateKey, Optional<String> kekId);

    /** A private key to replace, as {@link #replaceAllPrivateKeys} takes it: conditional on the value it replaces. */
    record Replacement(String kid, String expected, String privateKey, Optional<String> kekId) {
        @Override
        public String toString() {
            return "Replacement[kid=" + kid + ", kekId=" + kekId.orElse("none") + "]";
        }
    }

    /**
     * Replaces the private key of every stored key in one transaction (re-sealing under a new KEK).
     *
     * @return false, changing nothing, when a key is no longer {@code expected}, or the stored keys are not exactly
     * those given (one was added or removed meanwhile)
     */
    boolean replaceAllPrivateKeys(List<Replacement> replacements);

    /** Sets the certificate chain of a key that has none. @return false when it has one already */
    boolean setCertificateChain(String kid, List<String> chain);
}
