package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ClientAuthenticatorTest {
    final SecretHasher hasher = new SecretHasher(1024, 1);
    final Fakes.Clients clients = new Fakes.Clients();
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ClientAuthenticator auth = new ClientAuthenticator(clients, hasher, clock, new SecureRandom());

    Client confidential(String id, String secret) {
        Client c = Client.builder(new ClientId(id)).secretHash(hasher.hash(secret)).build();
        clients.insert(c);
        return c;
    }

    static ClientAuth basic(String id, String secret) {
        return new ClientAuth(id, Optional.of(secret), ClientAuth.Method.CLIENT_SECRET_BASIC);
    }

    @Test
    void authenticateWhenSecretRightThenClient() {
        Client c = confidential("a", "s");
        assertEquals(c, auth.authenticate(basic("a", "s")));
        assertEquals(c, auth.authenticate(basic("a", "s")));  // cached path
    }

    @Test
    void authenticateWhenWrongSecretOrUnknownThenSameInvalidClient() {
        confidential("a", "s");
        OAuthError wrong = assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "x"))).error();
        OAuthError unknown = assertThrows(OAuthException.class, () -> auth.authenticate(basic("zz", "x"))).error();
        assertEquals(wrong, unknown);
        assertInstanceOf(OAuthError.InvalidClient.class, wrong);
        assertEquals(OAuthError.ClientAuthMethodHint.BASIC, ((OAuthError.InvalidClient) wrong).attempted());
    }

    @Test
    void authenticateWhenSecretRotatedThenCachedVerificationNoLongerCounts() {
        confidential("a", "old");
        auth.authenticate(basic("a", "old"));
        clients.update(clients.rows.get(new ClientId("a")).toBuilder().secretHash(hasher.hash("new")).build());
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "old")));
        assertNotNull(auth.authenticate(basic("a", "new")));
    }

    @Test
    void authenticateWhenCachedThenWrongSecretStillRefused() {
        confidential("a", "s");
        auth.authenticate(basic("a", "s"));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "s2")));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "")));
    }

    @Test
    void authenticateWhenPublicClientWithoutSecretThenClientButNeverWithSecretMethods() {
        Client pub = Client.builder(new ClientId("spa")).grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).build();
        clients.insert(pub);
        assertEquals(pub, auth.authenticate(new ClientAuth("spa", Optional.empty(), ClientAuth.Method.NONE)));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("spa", "")));
        confidential("conf", "s");
        assertThrows(OAuthException.class,
                () -> auth.authenticate(new ClientAuth("conf", Optional.empty(), ClientAuth.Method.NONE)));
    }

    @Test
    void authenticateWhenIdInvalidThenInvalidClientWithoutLookup() {
        int before = clients.finds;
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("x".repeat(51), "s")));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a\r\nb", "s")));
        assertEquals(before, clients.finds);
    }

    static ClientAuth basic(String id, String secret, String source) {
        return basic(id, secret).withSource(source);
    }

    AttemptLimiter smallLimits() {
        return new AttemptLimiter(io.gatehouse.core.port.AttemptCounters.inMemory(1000),
                new AttemptLimiter.Limits(java.time.Duration.ofMinutes(15), 3, 50, 100), clock);
    }

    static OAuthError error(Runnable r) {
        return assertThrows(OAuthException.class, r::run).error();
    }

    @Test
    void authenticateWhenVerifiedFromThisAddressThenNoHashingAgain() {
        Client c = confidential("a", "s");
        long before = hasher.checks();
        auth.authenticate(basic("a", "s", "192.0.2.1"));
        for (int i = 0; i < 5; i++) assertEquals(c, auth.authenticate(basic("a", "s", "192.0.2.1")));
        assertEquals(before + 1, hasher.checks());
        auth.authenticate(basic("a", "s", "192.0.2.2"));  // another address: checked once, then remembered too
        auth.authenticate(basic("a", "s", "192.0.2.2"));
        auth.authenticate(basic("a", "s", "192.0.2.1"));
        assertEquals(before + 2, hasher.checks());
    }

    @Test
    void authenticateWhenGuessingFromAnAddressThenItsCachedSecretNoLongerBypassesTheLimit() {
        var a = new ClientAuthenticator(clients, hasher, smallLimits(), new SecureRandom(), io.gatehouse.core.port.AuditLog.none());
        Client c = confidential("a", "s");
        a.authenticate(basic("a", "s", "192.0.2.1"));    // the real client, at two addresses
        a.authenticate(basic("a", "s", "198.51.100.1"));
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(OAuthError.InvalidClient.class, error(() -> a.authenticate(basic("a", "guess", "192.0.2.1"))));
        }
        OAuthError refused = error(() -> a.authenticate(basic("a", "s", "192.0.2.1")));
        assertInstanceOf(OAuthError.TooManyAttempts.class, refused, "the right secret from the guessing address is not answered");
        long before = hasher.checks();
        assertEquals(c, a.authenticate(basic("a", "s", "198.51.100.1")), "the real client elsewhere is not slowed");
        assertEquals(before, hasher.checks());
    }

    @Test
    void authenticateWhenUnknownOrExistingIdThenSameWorkSameAnswerSameLimit() {
        var a = new ClientAuthenticator(clients, hasher, smallLimits(), new SecureRandom(), io.gatehouse.core.port.AuditLog.none());
        confidential("known", "s");
        a.authenticate(basic("known", "s", "192.0.2.9"));  // a cached verification changes nothing for wrong secrets
        for (String id : java.util.List.of("known", "unknown-id")) {
            long before = hasher.checks();
            java.util.List<OAuthError> errors = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) errors.add(error(() -> a.authenticate(basic(id, "wrong", "192.0.2.1"))));
            assertEquals(3, hasher.checks() - before, id + ": one Argon2 check per admitted attempt");
            assertEquals(new OAuthError.InvalidClient(ClientAuthenticator.BAD_CREDENTIALS, OAuthError.ClientAuthMethodHint.BASIC),
                    errors.get(2), id);
            assertInstanceOf(OAuthError.TooManyAttempts.class, errors.get(3), id + ": refused after the same number of failures");
        }
    }

    @Test
    void authenticateWhenSameSecretInParallelThenCheckedOnce() throws Exception {
        SecretHasher slow = new SecretHasher(8 * 1024, 20);
        clients.insert(Client.builder(new ClientId("burst")).secretHash(slow.hash("s")).build());
        var a = new ClientAuthenticator(clients, slow, clock, new SecureRandom());
        int n = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        var results = new java.util.ArrayList<java.util.concurrent.Future<Client>>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return a.authenticate(basic("burst", "s", "192.0.2.1"));
                }));
            }
            start.countDown();
            for (var f : results) assertEquals("burst", f.get(30, java.util.concurrent.TimeUnit.SECONDS).id().value());
        }
        assertEquals(1, slow.checks(), "a burst right after a restart costs one hash, and never trips the in-flight bound");
    }

    @Test
    void authenticateWhenHashingQueueFullThenTemporarilyUnavailableButCachedStillServed() throws Exception {
        SecretHasher tiny = new SecretHasher(1024, 1, 0);  // no waiting at all
        clients.insert(Client.builder(new ClientId("a")).secretHash(tiny.hash("s")).build());
        var a = new ClientAuthenticator(clients, tiny, clock, new SecureRandom());
        a.authenticate(basic("a", "s", "192.0.2.1"));
        int permits = SecretHasher.permitsFor(Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors(), 1024);
        var hold = new java.util.concurrent.CountDownLatch(1);
        var held = new java.util.concurrent.CountDownLatch(permits);
        // Occupy every hashing slot through the administration path (hash), which waits however long.
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            SecretHasher.Admission adm = admission(tiny);
            for (int i = 0; i < permits; i++) {
                pool.submit(() -> {
                    adm.acquire(SecretHasher.Priority.HIGH, false);
                    held.countDown();
                    hold.await();
                    adm.release();
                    return null;
                });
            }
            assertTrue(held.await(10, java.util.concurrent.TimeUnit.SECONDS));
            OAuthError busy = error(() -> a.authenticate(basic("a", "other", "192.0.2.1")));
            assertInstanceOf(OAuthError.TemporarilyUnavailable.class, busy);
            assertEquals(1, ((OAuthError.TemporarilyUnavailable) busy).retryAfterSeconds());
            assertEquals("a", a.authenticate(basic("a", "s", "192.0.2.1")).id().value(), "a cached secret never waits for hashing");
            hold.countDown();
        }
    }

    static SecretHasher.Admission admission(SecretHasher h) throws Exception {
        var f = SecretHasher.class.getDeclaredField("admission");
        f.setAccessible(true);
        return (SecretHasher.Admission) f.get(h);
    }

    @Test
    void authenticateWhenCachedThenNoCounterReadOrWrite() {
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var writes = new java.util.concurrent.atomic.AtomicInteger();
        var inner = io.gatehouse.core.port.AttemptCounters.inMemory(100);
        var counting = new io.gatehouse.core.port.AttemptCounters() {
            public java.util.List<Window> find(java.util.Collection<String> keys, Instant now) {
                reads.incrementAndGet();
                return inner.find(keys, now);
            }

            public java.util.List<Window> recordFailure(java.util.List<String> keys, Instant now, java.time.Duration window) {
                writes.incrementAndGet();
                return inner.recordFailure(keys, now, window);
            }

            public int purgeExpired(Instant cutoff) {
                return inner.purgeExpired(cutoff);
            }
        };
        var a = new ClientAuthenticator(clients, hasher, new AttemptLimiter(counting, AttemptLimiter.Limits.defaults(), clock),
                new SecureRandom(), io.gatehouse.core.port.AuditLog.none());
        confidential("a", "s");
        a.authenticate(basic("a", "s", "192.0.2.1"));
        assertEquals(1, reads.get(), "the first check reads the counters once");
        assertEquals(0, writes.get(), "a success writes nothing");
        int finds = clients.finds;
        for (int i = 0; i < 100; i++) a.authenticate(basic("a", "s", "192.0.2.1"));
        assertEquals(1, reads.get(), "a cached secret adds no read");
        assertEquals(0, writes.get());
        assertEquals(finds + 100, clients.finds, "only the client lookup it always had");
    }
}
