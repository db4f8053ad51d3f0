package io.gatehouse.admin.console;

import io.gatehouse.admin.AdminCommands;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.model.Role;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server set up as {@code gatehouse admin init} leaves it (the console's client, an administrator "ops"), a user
 * "bob" without the role, and a cookie-keeping HTTP "browser" that signs in through the real authorize and login pages.
 */
final class ConsoleFixture {
    static final String PASSWORD = "correct horse battery";

    static TestServer start() {
        TestServer server = TestServer.start();
        server.clients.add(AdminCommands.CONSOLE_CLIENT, Optional.empty(), true, AdminCommands.consoleSettings(server.base));
        OidcFlow.users(server).add("ops", PASSWORD, new UserAdmin.Changes(null, null, "Ops", Map.of(), null, EnumSet.of(Role.ADMIN)));
        OidcFlow.addUser(server, "bob", PASSWORD);
        return server;
    }

    /** A browser: keeps cookies, follows no redirects by itself. */
    static final class Browser {
        final TestServer server;
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        Browser(TestServer server) {
            this.server = server;
        }

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : server.base + url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(server.base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(OidcFlow.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Follows redirects (GET) until a page answers. */
        HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
            for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) r = get(r.headers().firstValue("Location").orElseThrow());
            return r;
        }

        /** GET /admin, sign in on the login page, follow back: the page the console answers with at the end. */
        HttpResponse<String> signIn(String username, String password) throws Exception {
            HttpResponse<String> login = follow(get("/admin"));
            assertEquals(200, login.statusCode(), login.body());
            Map<String, String> form = new LinkedHashMap<>(OidcFlow.hidden(login.body()));
            form.put("username", username);
            form.put("password", password);
            return follow(post("/login", form));
        }
    }
}
