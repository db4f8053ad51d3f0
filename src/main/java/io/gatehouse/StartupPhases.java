package io.gatehouse;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How long each phase of a start took, for the one-line summary in the ready line, e.g.
 * {@code launcher 8, jvm 120, config 5, crypto 80 (background, waited 10), database 90, keys 60, http 40 (background)}.
 * Background phases ran on threads of their own beside the others; "waited" is how long the start-up thread then
 * waited for one to finish.
 */
public final class StartupPhases {
    /** In the order of the summary. */
    public enum Phase {
        LAUNCHER, JVM, CONFIG, CRYPTO, DATABASE, KEYS, HTTP, METRICS, ROUTES;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Took(long millis, boolean background, long waited) {
        @Override
        public String toString() {
            if (!background) return Long.toString(millis);
            return millis + (waited > 0 ? " (background, waited " + waited + ")" : " (background)");
        }
    }

    private final Map<Phase, Took> phases = new EnumMap<>(Phase.class);

    /** A phase of the start-up thread, from {@code startNanos} ({@link System#nanoTime}) until now. */
    public void done(Phase phase, long startNanos) {
        took(phase, ms(startNanos));
    }

    /** A phase that ran beside the others, from {@code startNanos} until now. */
    public void background(Phase phase, long startNanos) {
        tookInBackground(phase, ms(startNanos));
    }

    /** A phase measured elsewhere, in ms. */
    public synchronized void took(Phase phase, long millis) {
        phases.put(phase, new Took(millis, false, 0));
    }

    /** A background phase measured elsewhere, in ms. */
    public synchronized void tookInBackground(Phase phase, long millis) {
        Took t = phases.get(phase);
        phases.put(phase, new Took(millis, true, t == null ? 0 : t.waited()));
    }

    /** The start-up thread waited from {@code startNanos} until now for a background phase. */
    public synchronized void waited(Phase phase, long startNanos) {
        Took t = phases.get(phase);
        phases.put(phase, new Took(t == null ? 0 : t.millis(), true, ms(startNanos)));
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Another instance's phases added to this one's (those this one has win). */
    public synchronized StartupPhases with(StartupPhases other) {
        synchronized (other) {
            other.phases.forEach(phases::putIfAbsent);
        }
        return this;
    }

    /** "launcher 8, jvm 120, config 5, ..." in the order of {@link Phase}, the phases recorded only. */
    @Override
    public synchronized String toString() {
        StringJoiner j = new StringJoiner(", ");
        phases.forEach((p, t) -> j.add(p.label() + " " + t));
        return j.toString();
    }
}
