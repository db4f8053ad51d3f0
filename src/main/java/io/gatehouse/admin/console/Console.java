package io.gatehouse.admin.console;

import io.gatehouse.admin.api.AdminApi;
import io.gatehouse.core.TokenService;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.StoreUnavailableException;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Endpoint;
import io.gatehouse.http.Form;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Router;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin web console at {@value #BASE}: server-rendered pages over the same use cases as the admin API
 * ({@link AdminApi.Services}), for users with the role admin who signed in through Gatehouse itself
 * ({@link ConsoleSignIn}). Every POST carries the session's CSRF token; every change is audited as
 * "console (user NAME)".
 */
public final class Console {
    public static final String BASE = "/admin";
    static final String STATIC = BASE + "/static/";
    static final String COOKIE = "gh_console";
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    /** What the console needs besides the admin use cases. */
    public record Services(AdminApi.Services admin, TokenService tokens, AccessTokenValidator validator, UserStore users,
                           Metrics metrics, String issuer, Clock clock, SecureRandom random) {
    }

    /** A signed-in request: the session, the audit actor, and the form of a POST (its CSRF token checked). */
    record Ctx(WebRequest req, ConsoleSessions.Session session, String actor, Form form) {
        String field(String name) {
            List<String> v = form.all(name);
            return v.size() == 1 ? v.getFirst() : "";
        }
    }

    @FunctionalInterface
    interface Handler {
        WebResponse handle(Ctx ctx);
    }

    private final Services services;
    private final ConsoleSessions sessions;
    private final ConsoleSignIn signIn;
    private final boolean secureCookies;

    public Console(Services services) {
        this.services = services;
        this.sessions = new ConsoleSessions(services.clock(), services.random());
        this.secureCookies = services.issuer().startsWith("https://");
        this.signIn = new ConsoleSignIn(services, sessions, this);
    }

    public void route(Router router) {
        var dashboard = new DashboardPage(services);
        var clients = new ClientsPage(services.admin().clients());
        var users = new UsersPage(services.admin().users(), services.admin().access());
        var keys = new KeysPage(services.admin().keys());
        var audit = new AuditPage(services.admin().auditEvents());
        router.get(BASE, page(dashboard::render)).get(BASE + "/", page(dashboard::render));
        router.get(ConsoleSignIn.CALLBACK, signIn::callback);
        router.post(BASE + "/logout", action(this::logout));
        router.get(BASE + "/clients", page(clients::list)).post(BASE + "/clients", action(clients::create));
        router.get(ClientsPage.DELETE, page(clients::confirmDelete)).post(ClientsPage.DELETE, action(clients::delete));
        router.get(ClientsPage.ROTATE, page(clients::confirmRotate)).post(ClientsPage.ROTATE, action(clients::rotate));
        router.get(BASE + "/users", page(users::list));
        router.get(UsersPage.REVOKE, page(users::confirmRevoke)).post(UsersPage.REVOKE, action(users::revoke));
        router.get(BASE + "/keys", page(keys::list));
        router.get(KeysPage.ROTATE, page(keys::confirmRotate)).post(KeysPage.ROTATE, action(keys::rotate));
        router.get(BASE + "/audit", page(audit::list));
        staticFile(router, "console.css", "text/css;charset=UTF-8");
        staticFile(router, "console.js", "text/javascript;charset=UTF-8");
    }

    private Endpoint page(Handler h) {
        return guard(false, h);
    }

    private Endpoint action(Handler h) {
        return guard(true, h);
    }

    /** Signed in (else: GET starts a sign-in, POST is refused), still an administrator, CSRF checked on POST. */
    private Endpoint guard(boolean post, Handler h) {
        return new Endpoint() {
            @Override
            public WebResponse handle(WebRequest req) {
                Optional<ConsoleSessions.Session> s = cookie(req, COOKIE).flatMap(sessions::find);
                if (s.isEmpty()) {
                    return post ? ConsolePage.plain(403, "Session expired", "Your console session has ended. Sign in again.")
                            : signIn.start();
                }
                Optional<User> user = services.users().find(s.get().userId);
                if (user.isEmpty() || !user.get().hasRole(Role.ADMIN)) {
                    sessions.end(s.get().id);
                    return clearCookie(ConsolePage.plain(403, "Not an administrator",
                            "Only users with the role admin may use the console."));
                }
                Form form = Form.empty();
                if (post) {
                    Optional<Form> f = form(req);
                    if (f.isEmpty()) return ConsolePage.plain(400, "Invalid request", "The form could not be read.");
                    form = f.get();
                    List<String> sent = form.all(ConsolePage.CSRF);
                    if (!Browser.csrfMatches(sent.size() == 1 ? Optional.of(sent.getFirst()) : Optional.empty(), s.get().csrf)) {
                        return ConsolePage.plain(403, "Form expired", "This form was not sent from this console session. "
                                + "Go back, reload the page and try again.");
                    }
                }
                try {
                    return h.handle(new Ctx(req, s.get(), "console (user " + user.get().username() + ")", form));
                } catch (StoreUnavailableException e) {
                    throw e;
                } catch (AdminException e) {
                    return ConsolePage.page(e.error() instanceof io.gatehouse.core.admin.AdminError.NotFound ? 404 : 409,
                            s.get(), "", "Not done", "<p class=\"error\">" + io.gatehouse.http.Html.esc(e.error().detail())
                                    + "</p><p><a href=\"" + BASE + "\">Back to the dashboard</a></p>");
                } catch (RuntimeException e) {
                    String ref = UUID.randomUUID().toString();
                    LOG.error("console: unexpected error handling {} {} [ref {}]", req.method(), req.path(), ref, e);
                    return ConsolePage.plain(500, "Something went wrong", "Nothing may have been changed (ref " + ref + ").");
                }
            }

            @Override
            public WebResponse unavailable(long retryAfterSeconds) {
                return ConsolePage.plain(503, "Temporarily unavailable", "The database is unavailable. Try again in a moment.")
                        .with("Retry-After", Long.toString(retryAfterSeconds));
            }
        };
    }

    private WebResponse logout(Ctx ctx) {
        sessions.end(ctx.session().id);
        String back = services.issuer() + BASE + "/";
        return clearCookie(Browser.redirect(303, services.issuer() + "/oauth2/logout", java.util.Map.of(
                "client_id", io.gatehouse.admin.AdminCommands.CONSOLE_CLIENT, "post_logout_redirect_uri", back)));
    }

    private static Optional<Form> form(WebRequest req) {
        if (req.bodyTooLarge() || !req.mediaType().equals("application/x-www-form-urlencoded")) return Optional.empty();
        try {
            return Optional.of(Form.parse(req.body()));
        } catch (Form.FormException e) {
            return Optional.empty();
        }
    }

    /**
     * A browser-session cookie (the server-side state decides when it ends); {@code clear} removes it instead.
     * HttpOnly, Secure when the issuer is https.
     */
    WebResponse setCookie(WebResponse r, String name, String value, String path, String sameSite, boolean clear) {
        return r.with("Set-Cookie", name + "=" + value + "; Path=" + path + (clear ? "; Max-Age=0" : "") + "; HttpOnly; SameSite="
                + sameSite + (secureCookies ? "; Secure" : ""));
    }

    WebResponse clearCookie(WebResponse r) {
        return setCookie(r, COOKIE, "", BASE, "Strict", true);
    }

    /** The value of the one cookie {@code name} (URL-safe characters only), if sent exactly once. */
    static Optional<String> cookie(WebRequest req, String name) {
        String found = null;
        for (String header : req.headerValues("cookie")) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    if (found != null) return Optional.empty();
                    found = p.substring(name.length() + 1);
                }
            }
        }
        return found == null || found.isEmpty() || found.length() > 100 || !found.matches("[A-Za-z0-9_-]+")
                ? Optional.empty() : Optional.of(found);
    }

    private static void staticFile(Router router, String name, String type) {
        byte[] body;
        try (InputStream in = Console.class.getResourceAsStream(name)) {
            body = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("console resource missing: " + name, e);
        }
        WebResponse r = WebResponse.of(200, type, body).with("Cache-Control", "public, max-age=3600")
                .with("X-Content-Type-Options", "nosniff");
        router.get(STATIC + name, req -> r);
    }
}
