package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The demo mark of clients and users, and {@link JdbcDemoData#removeAll()}; run against each database. */
abstract class DemoDataContract extends StoreContract {
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + "A".repeat(43);
    static final long FAR = 4_102_444_800L;

    @BeforeEach
    void emptyOidcTables() {
        testDb.clear("users", "sessions", "consents", "grants", "grant_jwts");
    }

    JdbcClientRepository clients() {
        return new JdbcClientRepository(testDb.db);
    }

    JdbcUserStore users() {
        return new JdbcUserStore(testDb.db);
    }

    static Client client(String id, boolean demo) {
        return Client.builder(new ClientId(id)).secretHash(HASH).demo(demo).build();
    }

    static User user(String id, String username, boolean demo) {
        return new User(id, username, HASH, Optional.empty(), Optional.empty(), false, Map.of(), Optional.empty(), Instant.EPOCH,
                Instant.EPOCH, demo);
    }

    void sql(String sql, Object... args) {
        testDb.db.write(c -> Jdbc.update(c, sql, args));
    }

    List<String> strings(String sql) {
        return new Jdbc(testDb.db).query(sql, rs -> rs.getString(1));
    }

    @Test
    void markWhenInsertedThenKeptByUpdatesBothWays() {
        assertTrue(clients().insert(client("demo-app", true)));
        assertTrue(clients().insert(client("own-app", false)));
        assertTrue(clients().update(client("demo-app", false).toBuilder().resourceServer(true).build()));
        assertTrue(clients().update(client("own-app", true)));
        assertTrue(clients().find(new ClientId("demo-app")).orElseThrow().demo(), "an update never clears the mark");
        assertTrue(clients().find(new ClientId("demo-app")).orElseThrow().resourceServer(), "but changes the rest");
        assertFalse(clients().find(new ClientId("own-app")).orElseThrow().demo(), "nor sets it");

        assertTrue(users().insert(user("u_demo", "demo", true)));
        assertTrue(users().insert(user("u_bob", "bob", false)));
        assertTrue(users().update(user("u_demo", "demo", false)));
        assertTrue(users().update(user("u_bob", "bob", true)));
        assertTrue(users().find("u_demo").orElseThrow().demo());
        assertFalse(users().find("u_bob").orElseThrow().demo());
    }

    @Test
    void removeAllWhenNothingMarkedThenNothingChanges() {
        clients().insert(client("own-app", false));
        users().insert(user("u_bob", "bob", false));
        assertEquals(List.of(), new JdbcDemoData(testDb.db).removeAll());
        assertEquals(1, clients().list().size());
        assertEquals(1, users().list().size());
    }

    @Test
    void removeAllDeletesDemoRowsAndWhatLetsThemInButNothingElse() {
        clients().insert(client("coupang", true));
        clients().insert(client("oidc-demo", true));
        clients().insert(client("mine", false));
        users().insert(user("u_demo", "demo", true));
        users().insert(user("u_bob", "bob", false));
        String token = "insert into tokens (token_hash, kind, client_id, subject, scope, issued_at, expires_at, grant_id, revoked) "
                + "values (?, 'REFRESH', ?, ?, '', 0, " + FAR + ", ?, false)";
        sql(token, "t-demo-client", "oidc-demo", "u_bob", "g-demo-client");
        sql(token, "t-demo-user", "mine", "u_demo", "g-demo-user");
        sql(token, "t-cc", "coupang", "coupang", null);
        sql(token, "t-kept", "mine", "u_bob", "g-kept");
        String grant = "insert into grants (grant_id, code_hash, client_id, user_id, redirect_uri, redirect_uri_sent, scope, "
                + "auth_time, issued_at, code_expires_at, code_consumed, revoked) values (?, ?, ?, ?, 'https://a/cb', true, '', 0, 0, "
                + FAR + ", true, false)";
        sql(grant, "g-demo-client", "c1", "oidc-demo", "u_bob");
        sql(grant, "g-demo-user", "c2", "mine", "u_demo");
        sql(grant, "g-kept", "c3", "mine", "u_bob");
        String jwt = "insert into grant_jwts (jti, grant_id, expires_at) values (?, ?, " + FAR + ")";
        sql(jwt, "j-demo-client", "g-demo-client");
        sql(jwt, "j-demo-user", "g-demo-user");
        sql(jwt, "j-kept", "g-kept");
        String consent = "insert into consents (user_id, client_id, scope, granted_at) values (?, ?, 'openid', 0)";
        sql(consent, "u_demo", "mine");
        sql(consent, "u_bob", "oidc-demo");
        sql(consent, "u_bob", "mine");
        String session = "insert into sessions (session_hash, user_id, auth_time, expires_at) values (?, ?, 0, " + FAR + ")";
        sql(session, "s-demo", "u_demo");
        sql(session, "s-bob", "u_bob");

        assertEquals(List.of("client coupang", "client oidc-demo", "user demo"), new JdbcDemoData(testDb.db).removeAll());

        assertEquals(List.of("mine"), clients().list().stream().map(c -> c.id().value()).toList());
        assertEquals(List.of("bob"), users().list().stream().map(User::username).toList());
        assertEquals(List.of("t-kept"), strings("select token_hash from tokens order by token_hash"));
        assertEquals(List.of("j-demo-client", "j-demo-user"), strings("select jti from revoked_jwts order by jti"),
                "the JWTs of their grants are deny-listed");
        assertEquals(List.of("g-demo-client", "g-demo-user"), strings("select grant_id from grants where revoked = true order by grant_id"));
        assertEquals(List.of("u_bob mine"), strings("select user_id || ' ' || client_id from consents"));
        assertEquals(List.of("s-bob"), strings("select session_hash from sessions"));
        assertEquals(List.of(), new JdbcDemoData(testDb.db).removeAll(), "nothing left to remove");
    }
}
