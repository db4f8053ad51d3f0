package io.gatehouse.http.endpoint;

import io.gatehouse.core.UserInfoService;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.http.Params.ACCESS_TOKEN;

/**
 * GET/POST /oauth2/userinfo (OIDC Core §5.3). The token comes as a Bearer header (RFC 6750 §2.1) or, for
 * POST, in a form body (§2.2), never both; errors carry RFC 6750 §3 WWW-Authenticate challenges.
 */
public final class UserInfoEndpoint implements Endpoint {
    static final String REALM = "Bearer realm=\"gatehouse\"";

    private final UserInfoService userInfo;

    public UserInfoEndpoint(UserInfoService userInfo) {
        this.userInfo = userInfo;
    }

    @Override
    public WebResponse handle(WebRequest req) {
        Optional<String> token;
        try {
            token = token(req);
        } catch (IllegalArgumentException e) {
            return challenge(400, "invalid_request", e.getMessage(), null);
        }
        if (token.isEmpty()) {
            return WebResponse.empty(401).with("WWW-Authenticate", REALM).noStore();
        }
        return switch (userInfo.userinfo(token.get())) {
            case UserInfoService.Result.Claims c -> WebResponse.json(200, Json.write(c.claims())).noStore();
            case UserInfoService.Result.InvalidToken t -> challenge(401, "invalid_token", t.description(), null);
            case UserInfoService.Result.InsufficientScope s ->
                    challenge(403, "insufficient_scope", "The access token lacks the openid scope", s.scope());
        };
    }

    /** @throws IllegalArgumentException for a malformed request (the message is safe to show) */
    static Optional<String> token(WebRequest req) {
        List<String> authz = req.headerValues("authorization");
        if (authz.size() > 1) throw new IllegalArgumentException("The Authorization header is repeated");
        Optional<String> header = req.bearer();
        if (header.isPresent() && !header.get().matches("[A-Za-z0-9\\-._~+/]+=*")) {
            throw new IllegalArgumentException("Malformed Bearer token");
        }
        Optional<String> body = Optional.empty();
        if (req.method().equals("POST") && req.mediaType().equals("application/x-www-form-urlencoded")) {
            try {
                Form f = Form.parse(req.body());
                if (f.all(ACCESS_TOKEN).size() > 1) throw new IllegalArgumentException("access_token is repeated");
                body = f.single(ACCESS_TOKEN);
            } catch (Form.FormException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (header.isPresent() && body.isPresent()) {
            throw new IllegalArgumentException("Use only one way to send the access token");
        }
        return header.isPresent() ? header : body;
    }

    static WebResponse challenge(int status, String error, String description, String scope) {
        String h = REALM + ", error=\"" + error + "\", error_description=\"" + description.replace("\"", "'") + "\""
                + (scope == null ? "" : ", scope=\"" + scope + "\"");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return WebResponse.json(status, Json.write(body)).with("WWW-Authenticate", h).noStore();
    }
}
