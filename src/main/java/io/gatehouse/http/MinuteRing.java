package io.gatehouse.http;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts per wall-clock minute over the last {@value #MINUTES} minutes, in a fixed ring (bounded memory, lock-free):
 * what the admin console's chart draws. A slot is reset when its minute comes round again.
 */
public final class MinuteRing {
    public static final int MINUTES = 60;

    private final LongSupplier millis;
    private final AtomicLongArray minute = new AtomicLongArray(MINUTES);
    private final AtomicLongArray count = new AtomicLongArray(MINUTES);

    public MinuteRing(LongSupplier millis) {
        this.millis = millis;
    }

    public void increment() {
        long m = millis.getAsLong() / 60_000;
        int i = (int) (m % MINUTES);
        long seen = minute.get(i);
        if (seen != m && minute.compareAndSet(i, seen, m)) count.set(i, 0);
        count.incrementAndGet(i);
    }

    /** The counts of the last {@code MINUTES} minutes, oldest first, the current minute last. */
    public long[] lastHour() {
        long now = millis.getAsLong() / 60_000;
        long[] out = new long[MINUTES];
        for (int k = 0; k < MINUTES; k++) {
            long m = now - (MINUTES - 1) + k;
            int i = (int) (m % MINUTES);
            out[k] = minute.get(i) == m ? count.get(i) : 0;
        }
        return out;
    }
}
