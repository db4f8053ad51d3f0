package io.gatehouse.admin.api;

import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.admin.UserAccessAdmin;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.config.Mount;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.port.AuditEventStore;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Json;
import io.gatehouse.http.Router;
import io.gatehouse.http.Unavailable;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin REST API under {@value #BASE} on the public listener: JSON resources over the same admin use cases as the
 * CLI ({@link ClientAdmin}, {@link UserAdmin}, {@link UserAccessAdmin}, {@link KeyRotation}), no logic of its own
 * beyond reading requests and writing answers. Every route but the OpenAPI document is guarded by {@link AdminAuth};
 * refusals are RFC 9457 problems ({@link Problem}); every change is audited by the use case, naming the caller.
 */
public final class AdminApi {
    public static final String BASE = "/admin/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    /** The use cases behind the API (their audit actor is replaced per request). */
    public record Services(ClientAdmin clients, UserAdmin users, UserAccessAdmin access, KeyRotation keys,
                           AuditEventStore auditEvents, List<Mount> mounts) {
    }

    @FunctionalInterface
    interface Handler {
        WebResponse handle(WebRequest req, AdminAuth.Caller caller);
    }

    private final Services services;
    private final AdminAuth auth;

    public AdminApi(Services services, AccessTokenValidator validator, UserStore users, String issuer) {
        this.services = services;
        this.auth = new AdminAuth(validator, issuer, users);
    }

    /** Adds every admin route to the router. */
    public void route(Router router) {
        var clients = new ClientsResource(services.clients());
        var client = new ClientResource(services.clients());
        var secret = new ClientSecretResource(services.clients());
        var users = new UsersResource(services.users());
        var user = new UserResource(services.users());
        var password = new UserPasswordResource(services.users());
        var sessions = new SessionsResource(services.access());
        var grants = new GrantsResource(services.access());
        var consents = new ConsentsResource(services.access());
        var keys = new KeysResource(services.keys());
        var mounts = new MountsResource(services.mounts());
        var audit = new AuditEventsResource(services.auditEvents());
        router.get(OpenApiResource.PATH, new OpenApiResource());
        router.get(ClientsResource.PATH, read(clients::list)).post(ClientsResource.PATH, write(clients::create));
        router.get(ClientResource.PATH, read(client::get)).add("PUT", ClientResource.PATH, write(client::put))
                .add("PATCH", ClientResource.PATH, write(client::patch)).add("DELETE", ClientResource.PATH, write(client::delete));
        router.post(ClientSecretResource.PATH, write(secret::rotate));
        router.get(UsersResource.PATH, read(users::list)).post(UsersResource.PATH, write(users::create));
        router.get(UserResource.PATH, read(user::get)).add("PATCH", UserResource.PATH, write(user::patch))
                .add("DELETE", UserResource.PATH, write(user::delete));
        router.post(UserPasswordResource.PATH, write(password::set));
        router.get(SessionsResource.PATH, read(sessions::list)).add("DELETE", SessionsResource.PATH, write(sessions::revokeAll));
        router.add("DELETE", SessionsResource.ONE, write(sessions::revoke));
        router.get(GrantsResource.PATH, read(grants::list)).add("DELETE", GrantsResource.ONE, write(grants::revoke));
        router.get(ConsentsResource.PATH, read(consents::list)).add("DELETE", ConsentsResource.ONE, write(consents::revoke));
        router.get(KeysResource.PATH, read(keys::list)).post(KeysResource.ROTATE, write(keys::rotate));
        router.post(KeysResource.RETIRE, write(keys::retire));
        router.get(MountsResource.PATH, read(mounts::list));
        router.get(AuditEventsResource.PATH, read(audit::list));
    }

    private Endpoint read(Handler h) {
        return guard(false, h);
    }

    private Endpoint write(Handler h) {
        return guard(true, h);
    }

    /** Authenticates, runs the handler, and turns every refusal into its problem answer. */
    private Endpoint guard(boolean write, Handler h) {
        return new Endpoint() {
            @Override
            public WebResponse handle(WebRequest req) {
                try {
                    return h.handle(req, auth.authenticate(req, write));
                } catch (Problem.Refused r) {
                    return r.response;
                } catch (AdminException e) {
                    return Problem.of(e.error());
                } catch (StoreUnavailableException e) {
                    throw e;  // the router logs it once and answers with unavailable()
                } catch (RuntimeException e) {
                    String ref = UUID.randomUUID().toString();
                    LOG.error("admin API: unexpected error handling {} {} [ref {}]", req.method(), req.path(), ref, e);
                    return Problem.of(500, "Internal error (ref " + ref + ")");
                }
            }

            @Override
            public WebResponse unavailable(long retryAfterSeconds) {
                return Problem.of(503, Unavailable.DESCRIPTION).with("Retry-After", Long.toString(retryAfterSeconds));
            }
        };
    }

    static WebResponse json(int status, Object body) {
        return WebResponse.json(status, Json.write(body)).with("Cache-Control", "no-store");
    }

    static WebResponse noContent() {
        return WebResponse.empty(204).with("Cache-Control", "no-store");
    }

    /** {@code {"items": [...]}}: a list that is never long (no paging). */
    static WebResponse items(List<?> items) {
        return json(200, Map.of("items", items));
    }

    /** {@code {"items": [...], "next_cursor": ...}}; {@code next_cursor} is null on the last page. */
    static WebResponse page(List<?> items, Optional<String> lastKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next_cursor", lastKey.map(Query::cursorOf).orElse(null));
        return json(200, out);
    }

    /** A value as one path segment (percent-encoded, a slash too). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
