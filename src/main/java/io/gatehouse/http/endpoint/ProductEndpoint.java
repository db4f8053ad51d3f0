package io.gatehouse.http.endpoint;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.http.Form;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo protected resource API of seed 000, and the reference for resource-server authors:
 * {@code GET /product} is public; {@code GET /product/get?id=N} needs {@code Authorization: Bearer <token>}
 * (RFC 6750 §2.1), validated by {@link AccessTokenValidator} exactly as an independent resource server
 * would (signature against the published keys, typ, iss, exp/nbf, its configured audience in aud, revocation).
 * Any token problem is a 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}; a valid token without
 * the configured required scope is a 403 with {@code Bearer error="insufficient_scope", scope="..."}
 * (RFC 6750 §3.1); a missing or non-numeric id is a 400.
 */
public final class ProductEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ProductEndpoint.class);
    public static final String LIST_PATH = "/product";
    public static final String GET_PATH = "/product/get";
    static final String CHALLENGE = "Bearer error=\"invalid_token\"";
    private static final int MAX_ID_DIGITS = 18;

    private final AccessTokenValidator validator;
    private final AccessTokenValidator.Audience audience;
    private final Scope requiredScope;
    private final byte[] products = Json.write(List.of(
            product(1, "Lantern", "Outdoor"), product(2, "Kettle", "Kitchen"), product(3, "Notebook", "Office")));

    /**
     * @param audience      what the token's aud must contain (config resource-api-audience, default the issuer)
     * @param requiredScope scope values the token must all carry (config resource-api-scope); empty: any
     */
    public ProductEndpoint(AccessTokenValidator validator, AccessTokenValidator.Audience audience, Scope requiredScope) {
        this.validator = validator;
        this.audience = audience;
        this.requiredScope = requiredScope;
    }

    private static Map<String, Object> product(int id, String name, String category) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("name", name);
        p.put("category", category);
        return p;
    }

    /** GET /product: no token needed. */
    public WebResponse list(WebRequest req) {
        return WebResponse.json(200, products);
    }

    /** GET /product/get?id=N: a valid access token needed. */
    public WebResponse get(WebRequest req) {
        AccessTokenValidator.ValidatedToken token;
        try {
            token = validator.require(req.bearer().orElse(""), audience);
        } catch (OAuthException e) {
            LOG.debug("resource API refused a token: {}", e.error().description());
            return error(401, e.error()).with("WWW-Authenticate", CHALLENGE);
        }
        if (!token.scope().containsAll(requiredScope)) {
            // Scope values never hold a double quote or a backslash (RFC 6749 NQCHAR): the quoted string needs no escaping.
            return error(403, "insufficient_scope", "The access token lacks the scope this resource requires")
                    .with("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + requiredScope.asString() + "\"");
        }
        Optional<Long> id = id(req.rawQuery());
        if (id.isEmpty()) {
            return error(400, new OAuthError.InvalidRequest("The id parameter must be a number"));
        }
        return WebResponse.text(200, "Ok!You successfully caught me. The Id is " + id.get()).noStore();
    }

    static Optional<Long> id(String rawQuery) {
        try {
            Optional<String> v = Form.parse(rawQuery).single("id");
            if (v.isEmpty() || v.get().length() > MAX_ID_DIGITS) return Optional.empty();
            for (int i = 0; i < v.get().length(); i++) {
                char c = v.get().charAt(i);
                if (c < '0' || c > '9') return Optional.empty();
            }
            return Optional.of(Long.parseLong(v.get()));
        } catch (Form.FormException e) {
            return Optional.empty();
        }
    }

    private static WebResponse error(int status, OAuthError error) {
        return error(status, error.code(), error.description());
    }

    private static WebResponse error(int status, String code, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return WebResponse.json(status, Json.write(body)).noStore();
    }
}
