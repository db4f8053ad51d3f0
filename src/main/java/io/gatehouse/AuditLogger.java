package io.gatehouse;

import io.gatehouse.core.model.AuditEvent;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.AuditEventStore;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.token.keys.KeyEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The audit log: INFO lines on logger {@code gatehouse.audit}. Nothing is dropped, and a flood of one kind of event
 * never hides another:
 * <ul>
 * <li><b>Successes</b> (a sign-in, a client or user changed by an administrator, a signing-key change) are written
 * at once, one line each, never rate-limited: they share no limit or lock with failures.</li>
 * <li><b>Failures</b> (client authentication, sign-in) are counted per kind, per subject (client id or username)
 * and address, in intervals of 10 s. The first failure of a subject and address in an interval is written at once
 * (at most {@value #DEFAULT_FIRST_LINES} such lines per kind and interval); the rest are written at the end of
 * the interval as one line per subject and address with their count and reasons. At most
 * {@value #DEFAULT_MAX_KEYS} subjects and addresses are tracked per kind and interval (bounded memory); failures
 * beyond that are summed into one line per kind ("N failures for M other ..."). The interval ends on a daemon
 * thread (started with the first failure) or at the next failure, and on {@link #close()}.</li>
 * </ul>
 * So a failure flood costs at most about {@code 20 + 100 + 1} lines per kind per 10 s. Client ids, usernames and
 * addresses are sanitized (control characters, quotes and backslashes become {@code ?}; at most 100 characters).
 * Secrets and passwords never reach this class.
 *
 * <p>With an {@link AuditEventStore} ({@link #toLogAndStore}), every line is also stored as an {@link AuditEvent} (the
 * admin API lists them): so the store is bounded the same way. A store that fails loses the event there (a WARN
 * says so), never the line in the log, and never fails the caller. A successful sign-in's event is stored deferred
 * ({@link AuditEventStore#appendDeferred}): it commits together with the session the same request writes next.
 */
public final class AuditLogger implements AuditLog, KeyEvents, AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Subjects and addresses tracked one by one per kind of failure and interval. */
    public static final int DEFAULT_MAX_KEYS = 100;
    /** Failures written at once (the first of their subject and address) per kind and interval. */
    public static final int DEFAULT_FIRST_LINES = 20;
    /** Distinct subjects and addresses beyond {@link #DEFAULT_MAX_KEYS} that are counted exactly ("more than" after). */
    static final int OVERFLOW_KEYS_COUNTED = 4096;
    static final int MAX_VALUE_LENGTH = 100;
    private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");

    /** A kind of failure: the prefix of its lines and the name of its subject. */
    enum Kind {
        CLIENT("client authentication failed", "client_id", "client_id/address pairs", AuditEvent.Type.CLIENT_AUTHENTICATION_FAILED),
        LOGIN("login failed", "username", "username/address pairs", AuditEvent.Type.LOGIN_FAILED);

        final String prefix;
        final String subject;
        final String pairs;
        final AuditEvent.Type type;

        Kind(String prefix, String subject, String pairs, AuditEvent.Type type) {
            this.prefix = prefix;
            this.subject = subject;
            this.pairs = pairs;
            this.type = type;
        }
    }

    /** A subject and address, both sanitized; address null when unknown. */
    record Key(String subject, String address) {
    }

    /** One line to write, with what the stored event says about it; subject null for a summary of many. */
    private record Line(AuditEvent.Type type, String actor, String subject, String text) {
    }

    private final Consumer<String> sink;
    private final AuditEventStore store;  // null: lines only
    private final Clock clock;
    private final long intervalMillis;
    private final int maxKeys;
    private final int firstLines;
    private final boolean background;
    private final Map<Kind, Window> windows = new EnumMap<>(Kind.class);
    private ScheduledExecutorService flusher;   // guarded by this
    private volatile boolean flusherStarted;
    private volatile boolean closed;

    AuditLogger(Consumer<String> sink, Clock clock, Duration interval, int maxKeys, int firstLines, boolean background) {
        this(sink, null, clock, interval, maxKeys, firstLines, background);
    }

    AuditLogger(Consumer<String> sink, AuditEventStore store, Clock clock, Duration interval, int maxKeys, int firstLines,
                boolean background) {
        if (interval.toMillis() < 1 || maxKeys < 1 || firstLines < 0) throw new IllegalArgumentException("bad audit limits");
        this.sink = sink;
        this.store = store;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.maxKeys = maxKeys;
        this.firstLines = firstLines;
        this.background = background;
        for (Kind k : Kind.values()) windows.put(k, new Window(k));
    }

    /** Lines at INFO on {@code gatehouse.audit}; failures are flushed by a daemon thread started with the first one. */
    public static AuditLogger toLog(Clock clock) {
        return new AuditLogger(LOG::info, clock, DEFAULT_INTERVAL, DEFAULT_MAX_KEYS, DEFAULT_FIRST_LINES, true);
    }

    /** As {@link #toLog}, and every line also stored as an event in {@code store}. */
    public static AuditLogger toLogAndStore(Clock clock, AuditEventStore store) {
        return new AuditLogger(LOG::info, store, clock, DEFAULT_INTERVAL, DEFAULT_MAX_KEYS, DEFAULT_FIRST_LINES, true);
    }

    /** Writes the line, then stores its event (when there is a store). */
    private void write(Line line) {
        write(line, false);
    }

    /** As {@link #write(Line)}; {@code deferred}: the event is committed with the caller's next write (not waited for). */
    private void write(Line line, boolean deferred) {
        sink.accept(line.text);
        if (store == null) return;
        try {
            Instant now = clock.instant();
            AuditEvent e = new AuditEvent(eventId(now), now, line.type, Optional.ofNullable(line.actor),
                    Optional.ofNullable(line.subject), line.text);
            if (deferred) {
                store.appendDeferred(e);
            } else {
                store.append(e);
            }
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(AuditLogger.class).warn("an audit event could not be stored (it is in the log): {}",
                    e.toString());
        }
    }

    /** 13 hex digits of epoch milliseconds, then 16 random hex digits: unique, and ordered by time. */
    static String eventId(Instant t) {
        return String.format("%013x%016x", t.toEpochMilli(), java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    // ---- successes: written at once, always ----

    @Override
    public void loginSucceeded(String username, String userId, String address) {
        // Deferred: the session written next in the same request commits it (one durable write per sign-in).
        write(new Line(AuditEvent.Type.LOGIN_SUCCEEDED, null, clean(username), "login succeeded: username=\""
                + clean(username) + "\" user_id=\"" + clean(userId) + "\" address=\"" + clean(address) + "\""), true);
    }

    @Override
    public void keyChanged(String kid, SigningAlg alg, String change, String actor) {
        write(new Line(AuditEvent.Type.KEY_CHANGED, clean(actor), clean(kid), "signing key " + change + ": kid=\""
                + clean(kid) + "\" alg=" + alg + " actor=\"" + clean(actor) + "\""));
    }

    @Override
    public void clientChanged(String clientId, String change, String actor) {
        write(new Line(AuditEvent.Type.CLIENT_CHANGED, clean(actor), clean(clientId), "client " + clean(change, 400)
                + ": client_id=\"" + clean(clientId) + "\" actor=\"" + clean(actor) + "\""));
    }

    @Override
    public void userChanged(String username, String userId, String change, String actor) {
        write(new Line(AuditEvent.Type.USER_CHANGED, clean(actor), clean(username), "user " + clean(change, 400)
                + ": username=\"" + clean(username) + "\" user_id=\"" + clean(userId) + "\" actor=\"" + clean(actor) + "\""));
    }

    // ---- failures: aggregated, never dropped ----

    @Override
    public void clientAuthenticationFailed(String clientId, ClientAuthFailure reason) {
        failure(Kind.CLIENT, clientId, null, reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void clientAuthenticationFailed(String clientId, String address, ClientAuthFailure reason) {
        failure(Kind.CLIENT, clientId, address == null ? "" : address, reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void loginFailed(String username, String address, boolean throttled) {
        failure(Kind.LOGIN, username, address == null ? "" : address, throttled ? "throttled" : "bad_credentials");
    }

    private void failure(Kind kind, String subject, String address, String reason) {
        Key key = new Key(clean(subject), address == null ? null : clean(address));
        if (closed) {  // shutting down: no later flush to count on
            write(single(kind, key, reason));
            return;
        }
        if (background && !flusherStarted) startFlusher();
        long now = clock.millis();
        List<Line> out = new ArrayList<>(2);
        Window w = windows.get(kind);
        synchronized (w) {
            if (w.start >= 0 && now - w.start >= intervalMillis) w.drainTo(out, now);
            if (w.start < 0) w.start = now;
            if (w.record(key, reason)) out.add(single(kind, key, reason));
        }
        for (Line line : out) write(line);
    }

    /** Writes the aggregate lines of every interval that has ended. */
    void tick() {
        long now = clock.millis();
        for (Window w : windows.values()) {
            List<Line> out = new ArrayList<>();
            synchronized (w) {
                if (w.start >= 0 && now - w.start >= intervalMillis) w.drainTo(out, now);
            }
            for (Line line : out) write(line);
        }
    }

    /** Stops the flushing thread and writes whatever is counted; later failures are written one line each. */
    @Override
    public void close() {
        ScheduledExecutorService f;
        synchronized (this) {
            closed = true;
            f = flusher;
            flusher = null;
        }
        if (f != null) {
            f.shutdownNow();
            try {
                f.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long now = clock.millis();
        for (Window w : windows.values()) {
            List<Line> out = new ArrayList<>();
            synchronized (w) {
                if (w.start >= 0) w.drainTo(out, now);
            }
            for (Line line : out) write(line);
        }
    }

    /** Subjects and addresses tracked one by one right now, over all kinds (for tests: memory stays bounded). */
    int trackedKeys() {
        int n = 0;
        for (Window w : windows.values()) {
            synchronized (w) {
                n += w.keys.size();
            }
        }
        return n;
    }

    private synchronized void startFlusher() {
        if (flusherStarted || closed) return;
        flusherStarted = true;
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-audit");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, Math.min(1000, intervalMillis / 10));
        flusher.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (Throwable e) {  // never let the flushing thread die
                LoggerFactory.getLogger(AuditLogger.class).warn("writing audit summaries failed: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private static Line single(Kind kind, Key key, String reason) {
        StringBuilder b = new StringBuilder(kind.prefix).append(": ").append(kind.subject).append("=\"").append(key.subject).append('"');
        if (key.address != null) b.append(" address=\"").append(key.address).append('"');
        if (kind == Kind.CLIENT) b.append(" reason=").append(reason);
        else if (reason.equals("throttled")) b.append(" throttled=true");
        return new Line(kind.type, null, key.subject, b.toString());
    }

    /** Failure counts per reason, in a stable order. */
    private static String reasons(Map<String, Long> counts) {
        StringBuilder b = new StringBuilder("reasons: ");
        boolean first = true;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (!first) b.append(", ");
            b.append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        return b.toString();
    }

    /** What is counted for one subject and address in the current interval, beyond a line already written. */
    private static final class Tally {
        final boolean firstWritten;
        long pending;
        final TreeMap<String, Long> reasons = new TreeMap<>();

        Tally(boolean firstWritten) {
            this.firstWritten = firstWritten;
        }
    }

    /** One kind of failure in the current interval. Guarded by itself. */
    private final class Window {
        final Kind kind;
        long start = -1;  // clock millis of the interval's first failure; -1 when nothing is counted
        final LinkedHashMap<Key, Tally> keys = new LinkedHashMap<>();
        int firstLinesLeft = firstLines;
        long overflowFailures;
        final TreeMap<String, Long> overflowReasons = new TreeMap<>();
        final long[] overflowHashes = new long[OVERFLOW_KEYS_COUNTED * 2];  // open addressing; 0 = empty
        int overflowKeys;

        Window(Kind kind) {
            this.kind = kind;
        }

        /** Counts a failure. @return whether it is to be written at once (the first of its key, within budget) */
        boolean record(Key key, String reason) {
            Tally t = keys.get(key);
            if (t == null && keys.size() < maxKeys) {
                boolean now = firstLinesLeft > 0;
                if (now) firstLinesLeft--;
                t = new Tally(now);
                keys.put(key, t);
                if (now) return true;
            }
            if (t != null) {
                t.pending++;
                t.reasons.merge(reason, 1L, Long::sum);
                return false;
            }
            overflowFailures++;
            overflowReasons.merge(reason, 1L, Long::sum);
            addOverflowKey(key);
            return false;
        }

        private void addOverflowKey(Key key) {
            if (overflowKeys >= OVERFLOW_KEYS_COUNTED) return;  // reported as "more than"
            long h = hash(key);
            int mask = overflowHashes.length - 1;
            for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
                if (overflowHashes[i] == h) return;
                if (overflowHashes[i] == 0) {
                    overflowHashes[i] = h;
                    overflowKeys++;
                    return;
                }
            }
        }

        /** Adds the interval's aggregate lines to {@code out} and starts a new, empty interval. */
        void drainTo(List<Line> out, long now) {
            long seconds = Math.max(1, Math.round((now - start) / 1000.0));
            for (Map.Entry<Key, Tally> e : keys.entrySet()) {
                Tally t = e.getValue();
                if (t.pending == 0) continue;
                Key k = e.getKey();
                StringBuilder b = new StringBuilder(kind.prefix).append(": ").append(t.pending)
                        .append(t.firstWritten ? " more" : "").append(t.pending == 1 ? " failure" : " failures")
                        .append(" for ").append(kind.subject).append("=\"").append(k.subject).append('"');
                if (k.address != null) b.append(" address=\"").append(k.address).append('"');
                b.append(" in the last ").append(seconds).append(" s (").append(reasons(t.reasons)).append(')');
                out.add(new Line(kind.type, null, k.subject, b.toString()));
            }
            if (overflowFailures > 0) {
                out.add(new Line(kind.type, null, null, kind.prefix + ": " + overflowFailures + (overflowFailures == 1 ? " failure" : " failures") + " for "
                        + (overflowKeys >= OVERFLOW_KEYS_COUNTED ? "more than " + OVERFLOW_KEYS_COUNTED : overflowKeys)
                        + " other " + kind.pairs + " in the last " + seconds + " s (beyond the " + maxKeys
                        + " listed per interval; " + reasons(overflowReasons) + ")"));
            }
            start = -1;
            keys.clear();
            firstLinesLeft = firstLines;
            overflowFailures = 0;
            overflowReasons.clear();
            java.util.Arrays.fill(overflowHashes, 0L);
            overflowKeys = 0;
        }
    }

    /** FNV-1a over subject and address; never 0 (the empty slot). */
    private static long hash(Key key) {
        long h = 0xcbf29ce484222325L;
        for (String s : new String[]{key.subject, key.address == null ? "\u0000" : key.address}) {
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** The value with control characters, quotes and backslashes replaced by '?', cut to 100 characters. */
    static String clean(String value) {
        return clean(value, MAX_VALUE_LENGTH);
    }

    static String clean(String value, int max) {
        if (value == null) return "";
        int n = Math.min(value.length(), max);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean bad = Character.isISOControl(c) || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c);
            b.append(bad ? '?' : c);
        }
        if (value.length() > max) b.append("...");
        return b.toString();
    }
}
