package io.gatehouse.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Failed-attempt counters shared by every node (the database), for {@link io.gatehouse.core.AttemptLimiter}. A key
 * is an opaque hash of what is counted (an account, a source address, or both), never the value itself. Each key
 * has one window at a time: it starts at the key's first failure and lasts the configured window; a failure after
 * it ended starts a new one.
 */
public interface AttemptCounters {
    /** A key's failures in its window [start, end). */
    record Window(String key, Instant start, Instant end, int failures) {
    }

    /** The windows of these keys that have not ended at {@code now}; keys without one are left out. */
    List<Window> find(Collection<String> keys, Instant now);

    /**
     * Counts one failure for every key, in one statement (an upsert), and returns the keys' windows after it.
     * A key without a window, or whose window ended, starts a new one of length {@code window} at {@code now}.
     */
    List<Window> recordFailure(List<String> keys, Instant now, Duration window);

    /** Deletes windows that ended before {@code cutoff}. @return how many */
    int purgeExpired(Instant cutoff);

    /**
     * Counters in this process only, at most {@code maxKeys} (the oldest window goes first): for tests and for
     * wiring without a database. Not shared, and gone at a restart.
     */
    static AttemptCounters inMemory(int maxKeys) {
        return new AttemptCounters() {
            private final LinkedHashMap<String, Window> rows = new LinkedHashMap<>();

            @Override
            public synchronized List<Window> find(Collection<String> keys, Instant now) {
                List<Window> out = new ArrayList<>();
                for (String k : keys) {
                    Window w = rows.get(k);
                    if (w != null && w.end().isAfter(now)) out.add(w);
                }
                return out;
            }

            @Override
            public synchronized List<Window> recordFailure(List<String> keys, Instant now, Duration window) {
                List<Window> out = new ArrayList<>();
                for (String k : keys) {
                    Window w = rows.remove(k);
                    w = w == null || !w.end().isAfter(now) ? new Window(k, now, now.plus(window), 1)
                            : new Window(k, w.start(), w.end(), w.failures() + 1);
                    rows.put(k, w);
                    out.add(w);
                }
                while (rows.size() > maxKeys) rows.pollFirstEntry();
                return out;
            }

            @Override
            public synchronized int purgeExpired(Instant cutoff) {
                int before = rows.size();
                rows.values().removeIf(w -> w.end().isBefore(cutoff));
                return before - rows.size();
            }

            @Override
            public String toString() {
                return "AttemptCounters.inMemory[" + maxKeys + "]";
            }
        };
    }
}
