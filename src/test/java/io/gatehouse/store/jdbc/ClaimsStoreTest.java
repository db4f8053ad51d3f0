package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.gatehouse.store.jdbc.DatabaseOpenTest.kind;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Migration 7 and what it adds, on every database: the structured address of users (a plain string address moved to
 * {@code formatted}) and the claims request kept with a grant, found again by a JWT's jti.
 */
class ClaimsStoreTest {
    static final String HASH = DemoDataContract.HASH;
    static final Instant T0 = Instant.ofEpochSecond(1_700_000_000);

    static void sql(TestDb t, String sql, Object... args) {
        t.db.write(c -> Jdbc.update(c, sql, args));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void migrationV7WhenStringAddressClaimThenFormattedObjectAndOtherClaimsKept(String name) {
        try (TestDb t = kind(name).get()) {
            // Back to the schema of version 6, with users as Gatehouse 6 stored them.
            sql(t, "alter table users drop column address");
            sql(t, "alter table grants drop column claims_request");
            // ... and of the migrations after it (each later migration adds its own undo here)
            sql(t, "alter table clients drop column jwks");  // V8
            sql(t, "alter table clients drop column request_object_signing_alg");
            sql(t, "alter table users drop column roles");  // V9
            sql(t, "alter table users drop column version");
            sql(t, "alter table clients drop column version");
            sql(t, "drop index grants_user_id");
            sql(t, "drop table audit_events");
            sql(t, "delete from \"flyway_schema_history\" where \"version\" in ('7', '8', '9')");
            String insert = "insert into users (user_id, username, password_hash, name, email, email_verified, claims, "
                    + "created_at, updated_at, demo) values (?, ?, ?, null, null, false, ?, 1, 1, false)";
            sql(t, insert, "u_a", "ann", HASH, "{\"locale\":\"en\",\"address\":\"1 Main St\\nSpringfield \\\"East\\\"\"}");
            sql(t, insert, "u_b", "bob", HASH, "{\"team\":\"address\"}");
            sql(t, insert, "u_c", "cy", HASH, "{\"address\":\"\"}");
            sql(t, insert, "u_d", "di", HASH, "{}");

            try (Database migrated = t.open(2)) {
                assertTrue(Database.schemaIsCurrent(migrated.reads()));
                JdbcUserStore users = new JdbcUserStore(migrated);
                User ann = users.find("u_a").orElseThrow();
                assertEquals(Optional.of(Address.formatted("1 Main St\nSpringfield \"East\"")), ann.address());
                assertEquals(Map.of("locale", "en"), ann.claims());
                User bob = users.find("u_b").orElseThrow();
                assertEquals(Map.of("team", "address"), bob.claims());
                assertEquals(Optional.empty(), bob.address());
                User cy = users.find("u_c").orElseThrow();
                assertEquals(Map.of(), cy.claims());
                assertEquals(Optional.empty(), cy.address());
                assertEquals(Optional.empty(), users.find("u_d").orElseThrow().address());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void userWhenAddressSetChangedAndRemovedThenStoredAsTheObject(String name) {
        try (TestDb t = kind(name).get()) {
            JdbcUserStore users = new JdbcUserStore(t.db);
            Address home = new Address(Optional.empty(), Optional.of("12 Marylebone Rd"), Optional.of("London"),
                    Optional.empty(), Optional.of("NW1 6XE"), Optional.of("GB"));
            User u = new User("u_1", "ada", HASH, Optional.empty(), Optional.empty(), false, Map.of("locale", "en"),
                    Optional.of(home), T0, T0, false);
            assertTrue(users.insert(u));
            assertEquals(Optional.of(home), users.find("u_1").orElseThrow().address());
            String json = t.db.write(c -> {
                try (var rs = c.createStatement().executeQuery("select address from users where user_id = 'u_1'")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertEquals("{\"street_address\":\"12 Marylebone Rd\",\"locality\":\"London\",\"postal_code\":\"NW1 6XE\","
                    + "\"country\":\"GB\"}", json);
            Address moved = Address.formatted("Somewhere else");
            assertTrue(users.update(new User("u_1", "ada", HASH, Optional.empty(), Optional.empty(), false, Map.of(),
                    Optional.of(moved), T0, T0.plusSeconds(1), false)));
            assertEquals(Optional.of(moved), users.findByUsername("ada").orElseThrow().address());
            assertTrue(users.update(new User("u_1", "ada", HASH, Optional.empty(), Optional.empty(), false, Map.of(),
                    Optional.empty(), T0, T0.plusSeconds(2), false)));
            assertEquals(Optional.empty(), users.find("u_1").orElseThrow().address());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void grantWhenClaimsRequestThenKeptFoundByCodeGrantAndJwtAndNoneWhenAbsent(String name) {
        try (TestDb t = kind(name).get()) {
            JdbcCodeStore codes = new JdbcCodeStore(t.db);
            ClaimsRequest claims = new ClaimsRequest(
                    Map.of("acr", new ClaimsRequest.Claim(true, List.of("urn:a", "urn:b")), "email", ClaimsRequest.Claim.VOLUNTARY),
                    Map.of("name", new ClaimsRequest.Claim(true, List.of()),
                            "email_verified", new ClaimsRequest.Claim(false, List.of(true, 1, Map.of("x", "y")))));
            codes.save(code("g1", "h1", claims));
            codes.save(code("g2", "h2", ClaimsRequest.NONE));
            codes.recordJwt("g1", "jti-1", T0.plusSeconds(3600));
            codes.recordJwt("g2", "jti-2", T0.plusSeconds(3600));

            assertEquals(claims, codes.findByHash("h1").orElseThrow().claims());
            assertEquals(claims, codes.findByGrantId("g1").orElseThrow().claims());
            AuthorizationCode byJwt = codes.findByJwt("jti-1").orElseThrow();
            assertEquals("g1", byJwt.grantId());
            assertEquals(claims, byJwt.claims());
            assertEquals(ClaimsRequest.NONE, codes.findByJwt("jti-2").orElseThrow().claims());
            assertEquals(Optional.empty(), codes.findByJwt("unknown"));
        }
    }

    static AuthorizationCode code(String grantId, String hash, ClaimsRequest claims) {
        return new AuthorizationCode(hash, grantId, new ClientId("web"), "u_1", "https://app.example/cb", true,
                Scope.of("openid"), Optional.empty(), Optional.empty(), claims, T0, T0, T0.plusSeconds(300));
    }
}
