package io.gatehouse.core.port;

import io.gatehouse.core.model.AuthorizationCode;

import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes (a code's grant id is also the grant's and the refresh-token family's id; the grant itself is
 * in {@link GrantStore}).
 * Consuming is atomic in the database, so exactly one of many concurrent redemptions wins on any node.
 */
public interface CodeStore {
    void save(AuthorizationCode code);

    /**
     * Saves the code without waiting for it: it becomes durable with the caller's next waited-for write (the sign-in
     * stores its session right after), which the caller must make before handing the code out.
     */
    default void saveDeferred(AuthorizationCode code) {
        save(code);
    }

    Optional<AuthorizationCode> findByHash(String codeHash);

    /** Marks the code used if it is unused and unexpired at {@code now}. @return true for exactly one caller */
    boolean consume(String codeHash, Instant now);

    /**
     * Deletes JWT ids per grant that expired before {@code cutoff}, then grants whose code expired before it and
     * that have nothing issued from them left (no stored token, no recorded JWT): purge tokens first.
     */
    int purgeExpired(Instant cutoff);
}
