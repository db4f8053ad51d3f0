package io.gatehouse.http.endpoint;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Unavailable;
import io.gatehouse.http.Form;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import io.gatehouse.http.dialect.ClientAuthParser;
import io.gatehouse.http.dialect.StandardDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

import static io.gatehouse.http.Params.*;

/**
 * The shape shared by introspection (RFC 7662) and revocation (RFC 7009): a client-authenticated form POST
 * with a {@code token} and an optional {@code token_type_hint} (only a hint; never trusted). Errors are
 * rendered as at the token endpoint.
 */
abstract class TokenFormEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFormEndpoint.class);

    /** The answer for an authenticated request. */
    abstract WebResponse answer(ClientAuth auth, String token);

    @Override
    public final WebResponse handle(WebRequest req) {
        try {
            if (req.bodyTooLarge()) throw invalid("The request body is too large");
            if (!req.mediaType().equals("application/x-www-form-urlencoded")) {
                throw invalid("Content-Type must be application/x-www-form-urlencoded");
            }
            Form f = Form.parse(req.body());
            String token = f.single(TOKEN).orElseThrow(() -> invalid("Missing parameter: token"));
            f.single(TOKEN_TYPE_HINT);  // rejects a repeated hint
            ClientAuth auth = ClientAuthParser.parse(req, f.single(CLIENT_ID), f.single(CLIENT_SECRET))
                    .withSource(req.remoteAddress());
            return answer(auth, token);
        } catch (Form.FormException e) {
            return StandardDialect.errorResponse(new OAuthError.InvalidRequest(e.getMessage()));
        } catch (OAuthException e) {
            return StandardDialect.errorResponse(e.error());
        } catch (StoreUnavailableException e) {
            return StandardDialect.errorResponse(Unavailable.error(e));
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.error("{} failed [ref {}]", getClass().getSimpleName(), id, e);
            return StandardDialect.errorResponse(new OAuthError.ServerError("Internal error (ref " + id + ")", id));
        }
    }

    private static OAuthException invalid(String d) {
        return new OAuthException(new OAuthError.InvalidRequest(d));
    }
}
