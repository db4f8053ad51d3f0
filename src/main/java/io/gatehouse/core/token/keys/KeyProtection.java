package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.StoredKey;

import java.util.Optional;

/**
 * How private keys are kept at rest: sealed under a key-encryption key (KEK), or (only where no KEK is configured)
 * as plain JWK JSON. {@link #open} never guesses: a key sealed under another KEK, or a sealed key without a KEK, is a
 * {@link Failure} that names the problem.
 */
public interface KeyProtection {
    /** A private key as stored: {@code kekId} names the KEK that sealed it; empty for a plain JWK. */
    record Sealed(String value, Optional<String> kekId) {
        @Override
        public String toString() {
            return "Sealed[kekId=" + kekId.orElse("none") + "]";
        }
    }

    /** The stored key cannot be opened; the message says why and never holds key material. */
    final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message);
        }
    }

    /** Seals a private JWK for storage, bound to its kid and algorithm. */
    Sealed seal(String kid, SigningAlg alg, String privateJwk);

    /** The private JWK of a stored key. @throws Failure when it cannot be opened with this protection */
    String open(StoredKey key);

    /** The id of the KEK in use; empty when keys are kept as plain JWKs. */
    Optional<String> kekId();

    /** No KEK: keys are stored as plain JWK JSON; a sealed key cannot be opened. */
    static KeyProtection plaintext() {
        return new KeyProtection() {
            @Override
            public Sealed seal(String kid, SigningAlg alg, String privateJwk) {
                return new Sealed(privateJwk, Optional.empty());
            }

            @Override
            public String open(StoredKey key) {
                if (key.kekId().isPresent()) {
                    throw new Failure("signing key " + key.kid() + " is encrypted (KEK " + key.kekId().get()
                            + ") but no key-encryption key is configured: set GATEHOUSE_KEK or --kek-file");
                }
                return key.privateKey();
            }

            @Override
            public Optional<String> kekId() {
                return Optional.empty();
            }
        };
    }
}
