package io.gatehouse.http;

import io.gatehouse.config.HttpConfig;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body into memory, within bounds: at most {@code maxBody} bytes per request, and for bodies over
 * {@link HttpConfig#SMALL_REQUEST_BYTES} only with room in a shared byte budget (the listener's
 * {@code max-buffered-request-bytes}). A large body waits for room without reading from the socket, so its bytes stay
 * in the kernel's buffers (and the sender is slowed by TCP flow control) instead of on the heap. Small bodies, which
 * is what token, sign-in and JSON dialect requests are, never wait: stalled large uploads cannot hold them up.
 * Release the room with {@link Body#release()} once the request is answered.
 *
 * <p>A body over the limit is read on and thrown away, up to {@link #DRAIN_MAX} bytes (nothing is kept), so that the
 * client, which usually sends all of it before it reads, gets the 413 instead of a reset connection; a larger one is
 * not read, and the connection is closed after the answer.
 */
final class RequestBody {
    private RequestBody() {
    }

    /** The most of a body over the limit that is read and thrown away, so the connection can stay open. */
    static final long DRAIN_MAX = 16L * 1024 * 1024;

    /**
     * The body (empty when none), or {@code tooLarge} (nothing kept) when it is over the limit; {@code consumed}: all of
     * it was read (the connection can carry another request).
     */
    record Body(byte[] bytes, boolean tooLarge, boolean consumed, Semaphore budget, int reserved) {
        static final Body NONE = new Body(new byte[0], false, true, null, 0);

        static Body tooLarge(boolean consumed) {
            return new Body(new byte[0], true, consumed, null, 0);
        }

        void release() {
            if (reserved > 0) budget.release(reserved);
        }
    }

    /** Reading failed: the client stopped sending ({@code timedOut}: within the deadline), or cut the body off. */
    static final class Failed extends Exception {
        final boolean timedOut;
        final long received;

        Failed(boolean timedOut, long received, Throwable cause) {
            super(timedOut ? "body timeout" : "body incomplete", cause, false, false);
            this.timedOut = timedOut;
            this.received = received;
        }
    }

    /**
     * @param declared       Content-Length, or -1 when the body is chunked
     * @param deadlineNanos  when the body must be complete ({@link System#nanoTime()}); waiting for room counts
     * @param waited         called once when the body has to wait for room
     */
    static Body read(InputStream in, long declared, int maxBody, Semaphore budget, long deadlineNanos, Runnable waited)
            throws Failed {
        int reserved = 0;
        Counting counted = new Counting(in);
        in = counted;
        try {
            if (declared > maxBody) return Body.tooLarge(declared <= DRAIN_MAX && drain(in, declared, declared));
            int small = HttpConfig.SMALL_REQUEST_BYTES;
            if (declared > small) {
                reserve(budget, (int) declared, deadlineNanos, waited);
                reserved = (int) declared;
            }
            byte[] first = in.readNBytes(declared >= 0 ? (int) declared : small + 1);
            if (declared >= 0) {
                if (first.length < declared) throw new Failed(false, counted.count, null);
                return new Body(first, false, true, budget, reserved);
            }
            if (first.length <= small) return new Body(first, false, true, budget, 0);
            reserve(budget, maxBody, deadlineNanos, waited);  // chunked and large: room for the whole limit
            reserved = maxBody;
            byte[] rest = in.readNBytes(maxBody + 1 - first.length);
            if (first.length + rest.length > maxBody) {
                budget.release(reserved);
                reserved = 0;
                return Body.tooLarge(drain(in, -1, DRAIN_MAX - counted.count));
            }
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            return new Body(all, false, true, budget, reserved);
        } catch (Failed f) {
            if (reserved > 0) budget.release(reserved);
            throw f;
        } catch (IOException | RuntimeException e) {
            if (reserved > 0) budget.release(reserved);
            throw new Failed(false, counted.count, e);
        }
    }

    /** Counts the bytes read, for the DEBUG line of a body that was cut off. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    /** Reads and discards up to {@code max} bytes: @return whether the body ended (or all {@code declared} came). */
    private static boolean drain(InputStream in, long declared, long max) throws IOException {
        byte[] buf = new byte[8192];
        long left = max;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) return declared < 0;
            left -= r;
        }
        return declared >= 0 || in.read() < 0;
    }

    private static void reserve(Semaphore budget, int bytes, long deadlineNanos, Runnable waited) throws Failed {
        if (budget.tryAcquire(bytes)) return;
        waited.run();
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0 && budget.tryAcquire(bytes, left, TimeUnit.NANOSECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new Failed(true, 0, null);
    }
}
