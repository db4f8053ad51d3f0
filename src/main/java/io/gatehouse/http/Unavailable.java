package io.gatehouse.http;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A request that needs the database while it is unavailable: the caller gets 503 with {@code Retry-After} at once,
 * and the log gets one WARN line per {@link #LOG_EVERY_NANOS} however many requests fail (an outage must not
 * flood the log).
 */
public final class Unavailable {
    private static final Logger LOG = LoggerFactory.getLogger(Unavailable.class);
    static final String CODE = "temporarily_unavailable";
    public static final String DESCRIPTION = "The service is temporarily unavailable; retry later";
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final AtomicLong LAST_LOG = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private Unavailable() {
    }

    /** Logs (rate-limited) and returns the error for the endpoint's own shape. */
    public static OAuthError.TemporarilyUnavailable error(StoreUnavailableException e) {
        log(e);
        return new OAuthError.TemporarilyUnavailable(DESCRIPTION, e.retryAfterSeconds());
    }

    static void log(StoreUnavailableException e) {
        long now = System.nanoTime();
        long last = LAST_LOG.get();
        if (now - last >= LOG_EVERY_NANOS && LAST_LOG.compareAndSet(last, now)) {
            Throwable cause = e.getCause();
            LOG.warn("database unavailable, answering 503: {}{} ({} more since the last line)", e.getMessage(),
                    cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")",
                    SUPPRESSED.getAndSet(0));
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }
}
