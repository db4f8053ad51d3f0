package io.gatehouse.core;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The core reports failed client authentications and every sign-in to the audit log, never a secret. */
class AuditEventsTest {
    final List<String> events = new ArrayList<>();
    final AuditLog audit = new AuditLog() {
        public void clientAuthenticationFailed(String clientId, ClientAuthFailure reason) { events.add("client " + clientId + " " + reason); }
        public void loginSucceeded(String username, String userId, String address) { events.add("ok " + username + " " + address); }
        public void loginFailed(String username, String address, boolean throttled) { events.add("fail " + username + " " + address + " " + throttled); }
    };
    final SecretHasher hasher = new SecretHasher(1024, 1);
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void clientAuthenticationWhenFailedThenOneEventWithReasonAndNoneOnSuccess() {
        Fakes.Clients clients = new Fakes.Clients();
        clients.insert(Client.builder(new ClientId("svc")).secretHash(hasher.hash("s3cret")).build());
        clients.insert(Client.builder(new ClientId("spa")).grantTypes(java.util.Set.of(io.gatehouse.core.model.GrantType.AUTHORIZATION_CODE)).build());
        var auth = new ClientAuthenticator(clients, hasher, clock, new SecureRandom(), audit);
        auth.authenticate(new ClientAuth("svc", Optional.of("s3cret"), ClientAuth.Method.CLIENT_SECRET_BASIC));
        auth.authenticate(new ClientAuth("svc", Optional.of("s3cret"), ClientAuth.Method.CLIENT_SECRET_BASIC));
        assertEquals(List.of(), events, "successes are not audited (hot path)");
        assertThrows(RuntimeException.class, () -> auth.authenticate(
                new ClientAuth("svc", Optional.of("wrong-secret"), ClientAuth.Method.CLIENT_SECRET_POST)));
        assertThrows(RuntimeException.class, () -> auth.authenticate(
                new ClientAuth("nobody", Optional.of("x"), ClientAuth.Method.CLIENT_SECRET_BASIC)));
        assertThrows(RuntimeException.class, () -> auth.authenticate(new ClientAuth("svc", Optional.empty(), ClientAuth.Method.NONE)));
        assertThrows(RuntimeException.class, () -> auth.authenticate(
                new ClientAuth("spa", Optional.of("x"), ClientAuth.Method.CLIENT_SECRET_BASIC)));
        assertEquals(List.of("client svc WRONG_SECRET", "client nobody UNKNOWN_CLIENT", "client svc SECRET_REQUIRED",
                "client spa PUBLIC_CLIENT"), events);
        assertFalse(String.join(" ", events).contains("wrong-secret"));
    }

    @Test
    void loginWhenSucceededOrFailedThenEventsWithThrottleFlag() {
        InMemoryStores stores = new InMemoryStores();
        SessionStore sessions = (SessionStore) java.lang.reflect.Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
                new Class<?>[]{SessionStore.class}, (p, m, a) -> null);
        stores.users.put("u-1", new User("u-1", "alice", hasher.hash("correct horse"), Optional.empty(), Optional.empty(),
                false, java.util.Map.of(), clock.instant(), clock.instant()));
        var logins = new LoginService(stores.userStore, sessions, hasher, clock, new SecureRandom(), audit);
        assertTrue(logins.authenticate("alice", "correct horse", "10.0.0.1").isPresent());
        int limit = AttemptLimiter.Limits.DEFAULT_PER_ACCOUNT_SOURCE;
        for (int i = 0; i < limit; i++) assertTrue(logins.authenticate("alice", "guess-" + i, "10.0.0.2").isEmpty());
        assertEquals("ok alice 10.0.0.1", events.getFirst());
        assertEquals("fail alice 10.0.0.2 false", events.get(1));
        assertEquals("fail alice 10.0.0.2 true", events.getLast(), "the failure that reached the attempt limit is flagged");
        assertEquals(limit + 1, events.size());
        assertFalse(String.join(" ", events).contains("guess") || String.join(" ", events).contains("horse"));
    }
}
