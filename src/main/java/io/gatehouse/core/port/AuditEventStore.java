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

    void append(AuditEvent event);

    List<AuditEvent> list(Query query);

    /** Deletes events older than {@code cutoff}, then the oldest beyond the newest {@code keep}. @return how many */
    int purge(Instant cutoff, int keep);
}
