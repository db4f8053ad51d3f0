package io.gatehouse.core.port;

import io.gatehouse.core.model.Session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Browser sessions, by the hash of the cookie value. Shared by every node. */
public interface SessionStore {
    /** Stores a new session (a sign-in with no earlier session to end). */
    default void save(Session session) {
        replace(Optional.empty(), session);
    }

    /**
     * Stores {@code session} and ends the one whose hash is {@code replacedIdHash} (when present) in one transaction:
     * a sign-in never leaves the browser's old session behind (session fixation), at the cost of one durable write.
     */
    void replace(Optional<String> replacedIdHash, Session session);

    Optional<Session> find(String idHash);

    void delete(String idHash);

    /** The user's sessions, expired ones included until purged, newest first. */
    List<Session> listByUser(String userId);

    /** Ends every session of the user. @return how many there were */
    int deleteByUser(String userId);

    int purgeExpired(Instant cutoff);
}
