package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

/**
 * A token endpoint dialect: a pure mapping between one wire format and the core. It renames, reshapes,
 * re-encodes and picks status codes; it does no lookups, no storage, reads no clock, makes no decisions.
 */
public interface TokenDialect {
    /** Wire request to core call; throws {@link io.gatehouse.core.error.OAuthException} for malformed input. */
    TokenCall parse(WebRequest request);

    /** Core result to this dialect's success body and status. */
    WebResponse success(TokenResult result);

    /**
     * Core error to this dialect's status and body.
     *
     * @param request the request being answered (for dialects that echo e.g. the path)
     */
    WebResponse error(OAuthError error, WebRequest request);
}
