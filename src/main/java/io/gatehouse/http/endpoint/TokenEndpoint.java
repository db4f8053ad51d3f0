package io.gatehouse.http.endpoint;

import io.gatehouse.core.TokenService;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import io.gatehouse.http.dialect.TokenDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/** A token endpoint mount: one dialect in front of the one {@link TokenService}. */
public final class TokenEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final TokenDialect dialect;
    private final TokenService tokens;

    public TokenEndpoint(TokenDialect dialect, TokenService tokens) {
        this.dialect = dialect;
        this.tokens = tokens;
    }

    @Override
    public WebResponse handle(WebRequest req) {
        try {
            if (req.bodyTooLarge()) {
                throw new OAuthException(OAuthError.InvalidRequest.of("body", FieldProblem.Kind.BODY,
                        "The request body is too large"));
            }
            TokenCall call = dialect.parse(req);
            return dialect.success(tokens.token(call));
        } catch (OAuthException e) {
            return dialect.error(e.error(), req);
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.error("token request failed [ref {}]", id, e);
            return dialect.error(new OAuthError.ServerError("Internal error (ref " + id + ")", id), req);
        }
    }
}
