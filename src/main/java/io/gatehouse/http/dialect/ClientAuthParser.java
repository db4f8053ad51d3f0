package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.ClientAuthMethodHint;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.http.Form;
import io.gatehouse.http.WebRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads RFC 6749 §2.3.1 client credentials: HTTP Basic (form-urlencoded parts) or the body. */
public final class ClientAuthParser {
    private ClientAuthParser() {
    }

    /**
     * @param bodyId     client_id from the body, if any
     * @param bodySecret client_secret from the body, if any
     */
    public static ClientAuth parse(WebRequest req, Optional<String> bodyId, Optional<String> bodySecret) {
        Optional<String> authz = req.header("authorization");
        if (req.headerValues("authorization").size() > 1) {
            throw invalidRequest("The Authorization header is repeated");
        }
        if (authz.isPresent() && authz.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            if (bodySecret.isPresent()) {
                throw invalidRequest("Use only one client authentication method");
            }
            ClientAuth basic = basic(authz.get().substring(6).trim());
            if (bodyId.isPresent() && !bodyId.get().equals(basic.clientId())) {
                throw invalidRequest("client_id does not match the authenticated client");
            }
            return basic;
        }
        if (bodyId.isEmpty()) {
            throw new OAuthException(new OAuthError.InvalidClient("Client authentication is required",
                    authz.isPresent() ? ClientAuthMethodHint.BASIC : ClientAuthMethodHint.NONE));
        }
        return bodySecret.isPresent()
                ? new ClientAuth(bodyId.get(), bodySecret, ClientAuth.Method.CLIENT_SECRET_POST)
                : new ClientAuth(bodyId.get(), Optional.empty(), ClientAuth.Method.NONE);
    }

    static ClientAuth basic(String b64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw badBasic();
        }
        String decoded = new String(raw, StandardCharsets.ISO_8859_1);
        int colon = decoded.indexOf(':');
        if (colon < 0) throw badBasic();
        try {
            String id = Form.decodeComponent(decoded.substring(0, colon));
            String secret = Form.decodeComponent(decoded.substring(colon + 1));
            if (id.isEmpty()) throw badBasic();
            return new ClientAuth(id, Optional.of(secret), ClientAuth.Method.CLIENT_SECRET_BASIC);
        } catch (Form.FormException e) {
            throw badBasic();
        }
    }

    private static OAuthException badBasic() {
        return new OAuthException(new OAuthError.InvalidClient("Malformed HTTP Basic credentials", ClientAuthMethodHint.BASIC));
    }

    private static OAuthException invalidRequest(String d) {
        return new OAuthException(new OAuthError.InvalidRequest(d));
    }
}
