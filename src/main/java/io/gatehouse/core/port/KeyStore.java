package io.gatehouse.core.port;

import io.gatehouse.core.model.SigningAlg;

import java.time.Instant;
import java.util.List;

/** Signing keys, kept as private JWK JSON. Every node reads the same keys. */
public interface KeyStore {
    record StoredKey(String kid, SigningAlg alg, String privateJwk, Instant createdAt) {
        @Override
        public String toString() {
            return "StoredKey[kid=" + kid + ", alg=" + alg + "]";
        }
    }

    List<StoredKey> all();

    /** @return false when a key for that algorithm exists already (another node won the race) */
    boolean insertIfNoneFor(StoredKey key);
}
