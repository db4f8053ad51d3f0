package io.gatehouse.core;

import io.gatehouse.core.port.AttemptCounters;
import io.gatehouse.core.port.AuditEventStore;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.core.port.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes rows that expired more than {@link #GRACE} ago: stored tokens (opaque access and refresh tokens),
 * deny-listed JWT ids, JWT ids per grant, authorization codes/grants, browser sessions and ended windows of failed
 * attempts.
 *
 * <p>The rule: a row goes when its own expiry is more than {@code GRACE} past, and a grant row only when, in
 * addition, nothing issued from it is left (no stored token, no recorded JWT id). That keeps what must stay:
 * <ul>
 *   <li>A rotated (used) refresh token stays until its own expiry + grace, so presenting it again within its
 *       lifetime still finds it and revokes the family ({@code RefreshTokenGrant} checks expiry first: an
 *       expired token is refused without reuse detection, whether or not its row still exists). Rows are not
 *       kept for the whole family's life, since a family with sliding expiry could then grow without bound.</li>
 *   <li>A consumed code's grant row stays while any token or JWT issued from it is alive (the refresh grant
 *       reads it, and revoking the family goes through it).</li>
 *   <li>A deny-listed JWT id stays until the JWT expired + grace, beyond the validator's clock skew.</li>
 * </ul>
 * Audit events go after {@link #AUDIT_RETENTION}, and beyond the newest {@link #AUDIT_MAX_EVENTS}.
 * Consents have no expiry and are never purged. Every delete is idempotent, so several nodes may run this
 * against one database at the same time.
 */
public final class Housekeeping {
    /** How long past its expiry a row is kept: well beyond clock skew between nodes and the validator's leeway. */
    public static final Duration GRACE = Duration.ofHours(1);
    /** How long stored audit events are kept. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(90);
    /** The most audit events kept (the oldest go first). */
    public static final int AUDIT_MAX_EVENTS = 100_000;

    /** Rows deleted by one {@link #purge()}. */
    public record Purged(int tokens, int grants, int sessions, int attemptWindows, int auditEvents) {
        public Purged(int tokens, int grants, int sessions) {
            this(tokens, grants, sessions, 0, 0);
        }

        public Purged(int tokens, int grants, int sessions, int attemptWindows) {
            this(tokens, grants, sessions, attemptWindows, 0);
        }

        public int total() {
            return tokens + grants + sessions + attemptWindows + auditEvents;
        }
    }

    private final TokenStore tokens;
    private final CodeStore grants;
    private final SessionStore sessions;
    private final AttemptCounters attempts;  // null: none to purge
    private final AuditEventStore auditEvents;  // null: none to purge
    private final Clock clock;

    public Housekeeping(TokenStore tokens, CodeStore grants, SessionStore sessions, Clock clock) {
        this(tokens, grants, sessions, null, clock);
    }

    /** @param attempts the attempt limiter's failure windows (ended windows are purged too) */
    public Housekeeping(TokenStore tokens, CodeStore grants, SessionStore sessions, AttemptCounters attempts, Clock clock) {
        this(tokens, grants, sessions, attempts, null, clock);
    }

    /** @param auditEvents stored audit events: older than {@link #AUDIT_RETENTION}, beyond {@link #AUDIT_MAX_EVENTS} go */
    public Housekeeping(TokenStore tokens, CodeStore grants, SessionStore sessions, AttemptCounters attempts,
                        AuditEventStore auditEvents, Clock clock) {
        this.tokens = tokens;
        this.grants = grants;
        this.sessions = sessions;
        this.attempts = attempts;
        this.auditEvents = auditEvents;
        this.clock = clock;
    }

    /**
     * Purges every store, tokens before grants (a grant goes only once its tokens are gone). A failing store
     * does not stop the others; the first failure is thrown at the end, with the later ones suppressed.
     */
    public Purged purge() {
        Instant cutoff = clock.instant().minus(GRACE);
        RuntimeException failure = null;
        int t = 0;
        int g = 0;
        int s = 0;
        try {
            t = tokens.purgeExpired(cutoff);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            g = grants.purgeExpired(cutoff);
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        try {
            s = sessions.purgeExpired(cutoff);
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        int a = 0;
        try {
            if (attempts != null) a = attempts.purgeExpired(cutoff);
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        int e = 0;
        try {
            if (auditEvents != null) e = auditEvents.purge(clock.instant().minus(AUDIT_RETENTION), AUDIT_MAX_EVENTS);
        } catch (RuntimeException x) {
            failure = add(failure, x);
        }
        if (failure != null) throw failure;
        return new Purged(t, g, s, a, e);
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) return next;
        first.addSuppressed(next);
        return first;
    }
}
