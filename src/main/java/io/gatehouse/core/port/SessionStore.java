package io.gatehouse.core.port;

import io.gatehouse.core.model.Session;

import java.time.Instant;
import java.util.Optional;

/** Browser sessions, by the hash of the cookie value. Shared by every node. */
public interface SessionStore {
    void save(Session session);

    Optional<Session> find(String idHash);

    void delete(String idHash);

    int purgeExpired(Instant cutoff);
}
