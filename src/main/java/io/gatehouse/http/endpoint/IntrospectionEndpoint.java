package io.gatehouse.http.endpoint;

import io.gatehouse.core.IntrospectionService;
import io.gatehouse.core.RevocationService;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import io.gatehouse.http.dialect.ClientAuthParser;
import io.gatehouse.http.dialect.StandardDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

import static io.gatehouse.http.Params.*;

/**
 * POST /oauth2/introspect (RFC 7662) and POST /oauth2/revoke (RFC 7009): client-authenticated form posts
 * with a {@code token} (and an optional {@code token_type_hint}, which is only a hint).
 */
public final class IntrospectionEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionEndpoint.class);

    /** Which of the two this instance serves. */
    public enum Kind { INTROSPECT, REVOKE }

    private final Kind kind;
    private final IntrospectionService introspection;
    private final RevocationService revocation;

    private IntrospectionEndpoint(Kind kind, IntrospectionService introspection, RevocationService revocation) {
        this.kind = kind;
        this.introspection = introspection;
        this.revocation = revocation;
    }

    public static IntrospectionEndpoint introspection(IntrospectionService s) {
        return new IntrospectionEndpoint(Kind.INTROSPECT, s, null);
    }

    public static IntrospectionEndpoint revocation(RevocationService s) {
        return new IntrospectionEndpoint(Kind.REVOKE, null, s);
    }

    @Override
    public WebResponse handle(WebRequest req) {
        try {
            if (req.bodyTooLarge()) throw invalid("The request body is too large");
            if (!req.mediaType().equals("application/x-www-form-urlencoded")) {
                throw invalid("Content-Type must be application/x-www-form-urlencoded");
            }
            Form f = Form.parse(req.body());
            String token = f.single(TOKEN).orElseThrow(() -> invalid("Missing parameter: token"));
            f.single(TOKEN_TYPE_HINT);  // rejects a repeated hint
            ClientAuth auth = ClientAuthParser.parse(req, f.single(CLIENT_ID), f.single(CLIENT_SECRET));
            return switch (kind) {
                case INTROSPECT -> WebResponse.json(200, Json.write(introspection.introspect(auth, token))).noStore();
                case REVOKE -> {
                    revocation.revoke(auth, token);
                    yield WebResponse.empty(200).noStore();
                }
            };
        } catch (Form.FormException e) {
            return StandardDialect.errorResponse(new OAuthError.InvalidRequest(e.getMessage()));
        } catch (OAuthException e) {
            return StandardDialect.errorResponse(e.error());
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.error("{} failed [ref {}]", kind, id, e);
            return StandardDialect.errorResponse(new OAuthError.ServerError("Internal error (ref " + id + ")", id));
        }
    }

    private static OAuthException invalid(String d) {
        return new OAuthException(new OAuthError.InvalidRequest(d));
    }
}
