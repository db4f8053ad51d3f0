package io.gatehouse.core.port;

/**
 * The store cannot take or answer a request right now (database down or unreachable, disk full, locked too long,
 * too many writes waiting). Nothing was acknowledged; the caller may retry after {@link #retryAfterSeconds()}.
 * Endpoints answer 503 with {@code Retry-After} in their own error shape. The message never holds a value.
 */
public final class StoreUnavailableException extends RuntimeException {
    private final long retryAfterSeconds;

    public StoreUnavailableException(String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
