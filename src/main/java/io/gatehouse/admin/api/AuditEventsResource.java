package io.gatehouse.admin.api;

import io.gatehouse.core.model.AuditEvent;
import io.gatehouse.core.port.AuditEventStore;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /admin/api/v1/audit-events}: stored audit events, newest first, paged, filtered by {@code since}
 * (inclusive) and {@code until} (exclusive), both RFC 3339 date-times, {@code type} and {@code actor} (exact).
 */
final class AuditEventsResource {
    static final String PATH = AdminApi.BASE + "/audit-events";
    static final String SINCE = "since";
    static final String UNTIL = "until";
    static final String TYPE = "type";
    static final String ACTOR = "actor";

    private final AuditEventStore events;

    AuditEventsResource(AuditEventStore events) {
        this.events = events;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query q = new Query(req, Set.of(SINCE, UNTIL, TYPE, ACTOR));
        int limit = q.limit();
        Optional<String> before = q.cursor(64).filter(c -> c.matches("[0-9a-f]{29}"));
        if (q.get(Query.CURSOR).isPresent() && before.isEmpty()) q.problem(Query.CURSOR, "cursor is not one this API gave out");
        Optional<Instant> since = time(q, SINCE);
        Optional<Instant> until = time(q, UNTIL);
        Optional<AuditEvent.Type> type = q.get(TYPE).flatMap(t -> {
            Optional<AuditEvent.Type> found = AuditEvent.Type.fromWire(t);
            if (found.isEmpty()) q.problem(TYPE, "type must be one of " + Arrays.stream(AuditEvent.Type.values())
                    .map(AuditEvent.Type::wireName).toList());
            return found;
        });
        Optional<String> actor = q.get(ACTOR);
        if (actor.isPresent() && actor.get().length() > AuditEvent.MAX_ACTOR) {
            q.problem(ACTOR, "actor must be at most " + AuditEvent.MAX_ACTOR + " characters");
        }
        q.check();
        List<AuditEvent> page = events.list(new AuditEventStore.Query(since, until, type, actor, before, limit + 1));
        return AdminApi.page(page.stream().limit(limit).map(AuditEventsResource::json).toList(),
                page.size() > limit ? Optional.of(page.get(limit - 1).id()) : Optional.empty());
    }

    private static Optional<Instant> time(Query q, String name) {
        Optional<String> v = q.get(name);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(v.get()).toInstant());
        } catch (DateTimeParseException e) {
            q.problem(name, name + " must be an RFC 3339 date-time, e.g. 2026-11-25T09:00:00Z");
            return Optional.empty();
        }
    }

    private static Map<String, Object> json(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time().toString());
        m.put("type", e.type().wireName());
        m.put("actor", e.actor().orElse(null));
        m.put("subject", e.subject().orElse(null));
        m.put("detail", e.detail());
        return m;
    }
}
