package io.gatehouse.core.model;

/**
 * The {@code claims} authorization request parameter as the web layer read it: a well-formed request (NONE when the
 * parameter was not sent), or a malformed one, which the authorization endpoint reports as {@code invalid_request}.
 */
public sealed interface ClaimsParameter {
    ClaimsParameter ABSENT = new Parsed(ClaimsRequest.NONE);

    record Parsed(ClaimsRequest request) implements ClaimsParameter {
    }

    /** @param reason fixed text naming what is wrong, never echoing the input */
    record Malformed(String reason) implements ClaimsParameter {
    }
}
