package io.gatehouse.oidc;

import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static org.junit.jupiter.api.Assertions.*;

/** Repeated sign-in failures are slowed down, but the real user can still sign in (no lock-out). */
class LoginThrottleTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        OidcFlow.addUser(server, "bob", "bobs password");
        server.addClient("first", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(REDIRECT)).firstParty(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void loginWhenRepeatedFailuresThenSlowedButNeverLockedOut() {
        OidcFlow attacker = new OidcFlow(server);
        HttpResponse<String> page = attacker.authorize(authz("first"));
        long slowest = 0;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = attacker.login(page, "bob", "guess " + i);
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
            assertTrue(r.body().contains("Incorrect username or password."));
        }
        assertTrue(slowest >= 200, "later failures are delayed (slowest " + slowest + " ms)");
        OidcFlow bob = new OidcFlow(server);
        HttpResponse<String> r = bob.follow(bob.login(bob.authorize(authz("first")), "bob", "bobs password"));
        bob.code(r, Optional.of("st-1"));
    }
}
