package io.gatehouse.core;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id hashing for client secrets and user passwords (PHC string format). Parameters follow the
 * OWASP minimum (19 MiB, 2 passes, 1 lane); a stored hash keeps its own parameters, so they can be
 * raised later without breaking old hashes.
 */
public final class SecretHasher {
    private final Argon2Function function;

    public SecretHasher() {
        this(19 * 1024, 2);
    }

    /** Tests may use cheaper parameters. */
    public SecretHasher(int memoryKib, int iterations) {
        this.function = Argon2Function.getInstance(memoryKib, iterations, 1, 32, Argon2.ID);
    }

    public String hash(String secret) {
        return Password.hash(secret).addRandomSalt(16).with(function).getResult();
    }

    /** Constant-time verification against a stored PHC string; false for a malformed hash. */
    public boolean verify(String secret, String storedHash) {
        try {
            return Password.check(secret, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
