package io.gatehouse.http;

/** One HTTP endpoint: a pure function from request to response (blocking is fine: virtual threads). */
@FunctionalInterface
public interface Endpoint {
    WebResponse handle(WebRequest request);
}
