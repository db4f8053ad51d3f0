package io.gatehouse.http.endpoint;

import io.gatehouse.core.TokenService;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Unavailable;
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
    private final Metrics.TokenMeters meters;

    public TokenEndpoint(TokenDialect dialect, TokenService tokens) {
        this(dialect, tokens, Metrics.disabled().token("", ""));
    }

    public TokenEndpoint(TokenDialect dialect, TokenService tokens, Metrics.TokenMeters meters) {
        this.dialect = dialect;
        this.tokens = tokens;
        this.meters = meters;
    }

    @Override
    public WebResponse handle(WebRequest req) {
        long start = System.nanoTime();
        TokenRequest request = null;
        try {
            if (req.bodyTooLarge()) {
                throw new OAuthException(OAuthError.InvalidRequest.of("body", FieldProblem.Kind.BODY,
                        "The request body is too large"));
            }
            TokenCall parsed = dialect.parse(req);
            request = parsed.request();
            TokenCall call = new TokenCall(parsed.client().withSource(req.remoteAddress()), request);
            WebResponse ok = dialect.success(tokens.token(call));
            meters.ok(request, start);
            return ok;
        } catch (OAuthException e) {
            meters.error(request, e.error(), start);
            return dialect.error(e.error(), req);
        } catch (StoreUnavailableException e) {
            OAuthError error = Unavailable.error(e);
            meters.error(request, error, start);
            return dialect.error(error, req);
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.error("token request failed [ref {}]", id, e);
            OAuthError error = new OAuthError.ServerError("Internal error (ref " + id + ")", id);
            meters.error(request, error, start);
            return dialect.error(error, req);
        }
    }
}
