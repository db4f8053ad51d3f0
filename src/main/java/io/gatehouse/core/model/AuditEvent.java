package io.gatehouse.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One stored audit event: the same fact as one line of the audit log.
 *
 * @param id      unique and ordered by time: 13 hex digits of epoch milliseconds, then random hex
 * @param type    what happened, e.g. {@code client.changed}, {@code login.failed} (see {@link Type})
 * @param actor   who made a change ("cli (user root, pid 4121)", "api (client ci-bot)"); empty for sign-ins and failures
 * @param subject what it is about: a client id, a username or a kid; empty for a summary of many
 * @param detail  the audit log line itself
 */
public record AuditEvent(String id, Instant time, Type type, Optional<String> actor, Optional<String> subject,
                         String detail) {
    public static final int MAX_DETAIL = 1000;
    public static final int MAX_ACTOR = 200;
    public static final int MAX_SUBJECT = 200;

    /** The kinds of audit events, with their wire names. */
    public enum Type {
        CLIENT_CHANGED("client.changed"),
        USER_CHANGED("user.changed"),
        KEY_CHANGED("key.changed"),
        LOGIN_SUCCEEDED("login.succeeded"),
        LOGIN_FAILED("login.failed"),
        CLIENT_AUTHENTICATION_FAILED("client_authentication.failed");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Type> fromWire(String name) {
            for (Type t : values()) {
                if (t.wireName.equals(name)) return Optional.of(t);
            }
            return Optional.empty();
        }
    }

    public AuditEvent {
        actor = actor == null ? Optional.empty() : actor.map(a -> cut(a, MAX_ACTOR)).filter(a -> !a.isEmpty());
        subject = subject == null ? Optional.empty() : subject.map(s -> cut(s, MAX_SUBJECT)).filter(s -> !s.isEmpty());
        detail = cut(detail, MAX_DETAIL);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
