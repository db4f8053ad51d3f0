package io.gatehouse.core.port;

import io.gatehouse.core.model.AuditEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored audit events (the audit log's lines, queryable), bounded by age and by count. */
public interface AuditEventStore {
    /**
     * What to list: newest first, those before {@code before} (an event id, exclusive) when given.
     *
     * @param since inclusive; @param until exclusive
     */
    record Query(Optional<Instant> since, Optional<Instant> until, Optional<AuditEvent.Type> type,
                 Optional<String> actor, Optional<String> before, int limit) {
        public Query {
            if (limit < 1) throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** Stores the event; returns once it is stored. */
    void append(AuditEvent event);

    /**
     * Stores the event without waiting for it: it is committed with the next write the caller waits for (so an event
     * written just before the change it describes costs no commit of its own), at the latest a moment later. A failure
     * to store it is logged, never thrown at a later caller.
     */
    default void appendDeferred(AuditEvent event) {
        append(event);
    }

    List<AuditEvent> list(Query query);

    /** Deletes events older than {@code cutoff}, then the oldest beyond the newest {@code keep}. @return how many */
    int purge(Instant cutoff, int keep);
}
