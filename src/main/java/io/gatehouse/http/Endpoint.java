package io.gatehouse.http;

/** One HTTP endpoint: a pure function from request to response (blocking is fine: virtual threads). */
@FunctionalInterface
public interface Endpoint {
    WebResponse handle(WebRequest request);

    /**
     * The answer when the database is unavailable (see {@link Unavailable}): 503 with {@code Retry-After}, in this
     * endpoint's error shape. JSON {@code temporarily_unavailable} unless the endpoint says otherwise.
     */
    default WebResponse unavailable(long retryAfterSeconds) {
        return Router.error(503, Unavailable.CODE, Unavailable.DESCRIPTION).with("Retry-After", Long.toString(retryAfterSeconds));
    }
}
