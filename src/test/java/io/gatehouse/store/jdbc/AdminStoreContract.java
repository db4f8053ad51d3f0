package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.AuditEvent;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.AuditEventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the admin API needs of the stores (migration 9): row versions, paging, roles, per-user lists, audit events. */
abstract class AdminStoreContract extends StoreContract {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @BeforeEach
    void emptyAdminTables() {
        testDb.clear("users", "sessions", "consents", "grants", "audit_events");
    }

    private static User user(String id, String username, Set<Role> roles) {
        return new User(id, username, "$argon2id$x", Optional.empty(), Optional.empty(), false, Map.of(), Optional.empty(),
                T, T, false, roles);
    }

    @Test
    void clientVersionWhenUpdatedThenChangesAndConditionalChangesNeedIt() {
        var clients = new JdbcClientRepository(testDb.db);
        Client c = Client.builder(new ClientId("v1")).secretHash("h").createdAt(T).build();
        assertTrue(clients.insert(c));
        long v = clients.findVersioned(c.id()).orElseThrow().version();
        assertTrue(v >= 1);
        assertTrue(clients.updateIfVersion(c.toBuilder().scope(Scope.of("a")).build(), v));
        assertEquals(v + 1, clients.findVersioned(c.id()).orElseThrow().version());
        assertFalse(clients.updateIfVersion(c.toBuilder().scope(Scope.of("b")).build(), v), "stale");
        assertEquals(Scope.of("a"), clients.find(c.id()).orElseThrow().scope());
        assertTrue(clients.update(c));
        assertEquals(v + 2, clients.findVersioned(c.id()).orElseThrow().version());
        assertFalse(clients.deleteIfVersion(c.id(), v));
        assertTrue(clients.deleteIfVersion(c.id(), v + 2));
        assertTrue(clients.insert(c));
        assertNotEquals(v, clients.findVersioned(c.id()).orElseThrow().version(), "a new row starts elsewhere");
    }

    @Test
    void clientsWhenListedAfterThenPagedById() {
        var clients = new JdbcClientRepository(testDb.db);
        for (String id : List.of("c", "a", "b", "d")) clients.insert(Client.builder(new ClientId(id)).secretHash("h").build());
        assertEquals(List.of("a", "b"), clients.listAfter(Optional.empty(), 2).stream().map(x -> x.id().value()).toList());
        assertEquals(List.of("c", "d"), clients.listAfter(Optional.of(new ClientId("b")), 5).stream().map(x -> x.id().value()).toList());
    }

    @Test
    void userRolesAndVersionsWhenStoredThenRoundTrip() {
        var users = new JdbcUserStore(testDb.db);
        assertTrue(users.insert(user("u_1", "ops", Set.of(Role.ADMIN))));
        assertTrue(users.insert(user("u_2", "bob", Set.of())));
        var ops = users.findVersionedByUsername("ops").orElseThrow();
        assertEquals(Set.of(Role.ADMIN), ops.value().roles());
        assertTrue(users.updateIfVersion(user("u_1", "ops", Set.of()), ops.version()));
        assertEquals(Set.of(), users.find("u_1").orElseThrow().roles());
        assertFalse(users.updateIfVersion(user("u_1", "ops", Set.of(Role.ADMIN)), ops.version()));
        assertEquals(List.of("bob"), users.listAfter(Optional.empty(), 1).stream().map(User::username).toList());
        assertEquals(List.of("ops"), users.listAfter(Optional.of("bob"), 5).stream().map(User::username).toList());
        new JdbcSessionStore(testDb.db).save(new Session("s1", "u_1", T, T.plusSeconds(60)));
        assertFalse(users.deleteIfVersion("u_1", ops.version()));
        assertEquals(1, new JdbcSessionStore(testDb.db).listByUser("u_1").size(), "nothing deleted");
        assertTrue(users.deleteIfVersion("u_1", ops.version() + 1));
        assertTrue(new JdbcSessionStore(testDb.db).listByUser("u_1").isEmpty(), "sessions go with the user");
    }

    @Test
    void sessionWhenReplacedThenTheOldOneIsGoneAndTheNewOneStored() {
        var sessions = new JdbcSessionStore(testDb.db);
        sessions.save(new Session("old", "u_1", T, T.plusSeconds(60)));
        sessions.replace(Optional.of("old"), new Session("new", "u_1", T.plusSeconds(1), T.plusSeconds(60)));
        assertTrue(sessions.find("old").isEmpty(), "the old session ended");
        assertEquals("u_1", sessions.find("new").orElseThrow().userId());
        sessions.replace(Optional.of("never-stored"), new Session("other", "u_2", T, T.plusSeconds(60)));
        sessions.replace(Optional.empty(), new Session("third", "u_2", T, T.plusSeconds(60)));
        assertEquals(List.of("other", "third"), sessions.listByUser("u_2").stream().map(Session::idHash).sorted().toList());
    }

    @Test
    void sessionsConsentsAndGrantsWhenListedPerUserThenOnlyTheirs() {
        var sessions = new JdbcSessionStore(testDb.db);
        sessions.save(new Session("s1", "u_1", T, T.plusSeconds(60)));
        sessions.save(new Session("s2", "u_1", T.plusSeconds(1), T.plusSeconds(60)));
        sessions.save(new Session("s3", "u_2", T, T.plusSeconds(60)));
        assertEquals(List.of("s2", "s1"), sessions.listByUser("u_1").stream().map(Session::idHash).toList());
        assertEquals(2, sessions.deleteByUser("u_1"));
        assertEquals(1, sessions.listByUser("u_2").size());

        var consents = new JdbcConsentStore(testDb.db, Clock.fixed(T, ZoneOffset.UTC));
        consents.grant("u_1", new ClientId("web"), Scope.of("openid"));
        consents.grant("u_2", new ClientId("web"), Scope.of("openid"));
        assertEquals(1, consents.listByUser("u_1").size());
        assertTrue(consents.revoke("u_1", new ClientId("web")));
        assertFalse(consents.revoke("u_1", new ClientId("web")));
        assertEquals(1, consents.listByUser("u_2").size());

        var grants = new JdbcCodeStore(testDb.db);
        for (String g : List.of("g1", "g2")) {
            grants.save(new AuthorizationCode("code-" + g, g, new ClientId("web"), "u_1", "https://a/cb", true, Scope.of("openid"),
                    Optional.empty(), Optional.empty(), null, T, T, T.plusSeconds(300)));
        }
        assertEquals(2, grants.activeGrants("u_1").size());
        grants.revokeGrant("g1");
        assertEquals(List.of("g2"), grants.activeGrants("u_1").stream().map(AuthorizationCode::grantId).toList());
        assertTrue(grants.activeGrants("u_2").isEmpty());
    }

    @Test
    void auditEventsWhenAppendedThenFilteredNewestFirstAndPurgedByAgeAndCount() {
        var events = new JdbcAuditEventStore(testDb.db);
        for (int i = 0; i < 6; i++) {
            Instant t = T.plusSeconds(i);
            events.append(new AuditEvent(String.format("%013x%016x", t.toEpochMilli(), i), t,
                    i % 2 == 0 ? AuditEvent.Type.CLIENT_CHANGED : AuditEvent.Type.LOGIN_FAILED,
                    Optional.of(i % 2 == 0 ? "api (client ci-bot)" : ""), Optional.of("s" + i), "line " + i));
        }
        var all = events.list(new AuditEventStore.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10));
        assertEquals(List.of("s5", "s4", "s3", "s2", "s1", "s0"), all.stream().map(e -> e.subject().orElseThrow()).toList());
        assertTrue(all.get(0).actor().isEmpty(), "an empty actor is none");
        var changes = events.list(new AuditEventStore.Query(Optional.of(T.plusSeconds(1)), Optional.of(T.plusSeconds(5)),
                Optional.of(AuditEvent.Type.CLIENT_CHANGED), Optional.of("api (client ci-bot)"), Optional.empty(), 10));
        assertEquals(List.of("s4", "s2"), changes.stream().map(e -> e.subject().orElseThrow()).toList());
        var after = events.list(new AuditEventStore.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(all.get(1).id()), 2));
        assertEquals(List.of("s3", "s2"), after.stream().map(e -> e.subject().orElseThrow()).toList());
        assertEquals(1, events.purge(T.plusSeconds(1), 100), "older than the cutoff");
        assertEquals(2, events.purge(T, 3), "beyond the newest 3");
        assertEquals(3, events.list(new AuditEventStore.Query(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 10)).size());
    }
}
