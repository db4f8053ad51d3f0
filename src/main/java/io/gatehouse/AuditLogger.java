package io.gatehouse;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.token.keys.KeyEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The audit log: one INFO line per event on logger {@code gatehouse.audit}, at most {@code perSecond} lines in
 * each second; further events in that second are counted and reported by one summary line before the next
 * event logged, so a flood of failed sign-ins cannot fill the disk. Client ids, usernames and addresses are
 * sanitized (control characters, quotes and backslashes become {@code ?}; at most 100 characters). Secrets
 * and passwords never reach this class.
 */
public final class AuditLogger implements AuditLog, KeyEvents {
    public static final int DEFAULT_PER_SECOND = 20;
    static final int MAX_VALUE_LENGTH = 100;
    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");

    private final Consumer<String> sink;
    private final Clock clock;
    private final int perSecond;
    private long second = Long.MIN_VALUE;
    private int logged;
    private long suppressed;

    AuditLogger(Consumer<String> sink, Clock clock, int perSecond) {
        if (perSecond < 1) throw new IllegalArgumentException("perSecond must be at least 1");
        this.sink = sink;
        this.clock = clock;
        this.perSecond = perSecond;
    }

    public static AuditLogger toLog(Clock clock) {
        return new AuditLogger(LOG::info, clock, DEFAULT_PER_SECOND);
    }

    @Override
    public void clientAuthenticationFailed(String clientId, ClientAuthFailure reason) {
        emit("client authentication failed: client_id=\"" + clean(clientId) + "\" reason="
                + reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void loginSucceeded(String username, String userId, String address) {
        emit("login succeeded: username=\"" + clean(username) + "\" user_id=\"" + clean(userId) + "\" address=\""
                + clean(address) + "\"");
    }

    @Override
    public void keyChanged(String kid, SigningAlg alg, String change, String actor) {
        emit("signing key " + change + ": kid=\"" + clean(kid) + "\" alg=" + alg + " actor=\"" + clean(actor) + "\"");
    }

    @Override
    public void loginFailed(String username, String address, boolean throttled) {
        emit("login failed: username=\"" + clean(username) + "\" address=\"" + clean(address) + "\""
                + (throttled ? " throttled=true" : ""));
    }

    private void emit(String line) {
        String summary = null;
        boolean write;
        synchronized (this) {
            long now = Math.floorDiv(clock.millis(), 1000L);
            if (now != second) {
                if (suppressed > 0) summary = suppressed + " audit events suppressed (more than " + perSecond + " per second)";
                second = now;
                logged = 0;
                suppressed = 0;
            }
            write = logged < perSecond;
            if (write) logged++;
            else suppressed++;
        }
        if (summary != null) sink.accept(summary);
        if (write) sink.accept(line);
    }

    /** The value with control characters, quotes and backslashes replaced by '?', cut to 100 characters. */
    static String clean(String value) {
        if (value == null) return "";
        int n = Math.min(value.length(), MAX_VALUE_LENGTH);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean bad = Character.isISOControl(c) || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c);
            b.append(bad ? '?' : c);
        }
        if (value.length() > MAX_VALUE_LENGTH) b.append("...");
        return b.toString();
    }
}
