package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.testing.RequestObjects;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** What every {@link ClientRepository} must do; run against each database by the *StoreTest classes. */
abstract class ClientRepositoryContract extends StoreContract {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + "A".repeat(43);

    ClientRepository repo() {
        return new JdbcClientRepository(testDb.db);
    }

    /** A client with every optional field set and nothing at its default. */
    static Client full(String id) {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("tenant", "acme");
        claims.put("quote", "it's \"quoted\" \\ back;slash -- and ; drop table clients");
        claims.put("unicode", "Zürich 東京 🚀");
        claims.put("empty", "");
        claims.put("multi\nline", "a\r\nb\tc");
        return Client.builder(new ClientId(id))
                .secretHash(HASH)
                .grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .scope(Scope.of("openid", "profile", "read:things", "write"))
                .tokenFormat(TokenFormat.OPAQUE)
                .accessTokenTtl(Duration.ofSeconds(123))
                .claims(claims)
                .signingAlg(SigningAlg.EdDSA)
                .scopeClaim(ScopeClaim.ARRAY)
                .audience("https://api.example.com/ünïcode?x=1&y=2")
                .redirectUris(List.of("https://app.example.com/cb", "http://127.0.0.1:8080/callback?a=b&c=d",
                        "com.example.app:/oauth2redirect"))
                .postLogoutRedirectUris(List.of("https://app.example.com/bye", "https://app.example.com/logged-out"))
                .requirePkce(true)
                .refreshTokens(true)
                .firstParty(true)
                .idTokenTtl(Duration.ofSeconds(456))
                .refreshTokenTtl(Client.MAX_TTL)
                .createdAt(Instant.parse("2026-01-02T03:04:05Z"))
                .jwtHeaderX5t(true)
                .resourceServer(true)
                .jwks(RequestObjects.RP.jwks())
                .requestObjectSigningAlg(RequestObjectSigningAlg.EdDSA)
                .build();
    }

    /** A public client with the defaults: no secret, no audience, empty lists and claims. */
    static Client minimal(String id) {
        return Client.builder(new ClientId(id)).grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).build();
    }

    @Test
    void insertThenFindReturnsEveryField() {
        Client c = full("full-client");
        assertTrue(repo().insert(c));
        Client found = repo().find(c.id()).orElseThrow();
        assertEquals(c, found);
        assertEquals(List.copyOf(c.redirectUris()), found.redirectUris(), "redirect URI order is kept");
        assertEquals(List.copyOf(c.claims().keySet()), List.copyOf(found.claims().keySet()), "claim order is kept");
    }

    @Test
    void insertThenFindWhenDefaultsAndPublicThenEmptyOptionalsKept() {
        Client c = minimal("public-app");
        assertTrue(repo().insert(c));
        Client found = repo().find(c.id()).orElseThrow();
        assertEquals(c, found);
        assertTrue(found.isPublic());
        assertEquals(Optional.empty(), found.audience());
        assertEquals(List.of(), found.redirectUris());
        assertEquals(Map.of(), found.claims());
    }

    @Test
    void insertWhenUnsignedRequestObjectsThenNoneKeptWithoutKeys() {
        Client c = Client.builder(new ClientId("unsigned")).grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .requestObjectSigningAlg(RequestObjectSigningAlg.NONE).build();
        assertTrue(repo().insert(c));
        Client found = repo().find(c.id()).orElseThrow();
        assertEquals(Optional.of(RequestObjectSigningAlg.NONE), found.requestObjectSigningAlg());
        assertEquals(Optional.empty(), found.jwks());
        assertEquals(c, found);
    }

    @Test
    void insertWhenIdHasSqlAndWildcardCharactersThenStoredVerbatim() {
        String id = "a'b\"c\\d%e_f;--" + "x".repeat(36);
        assertEquals(ClientId.MAX_LENGTH, id.length());
        assertTrue(repo().insert(full(id)));
        assertEquals(id, repo().find(new ClientId(id)).orElseThrow().id().value());
        assertTrue(repo().find(new ClientId("a'b\"c\\d%e_f;--")).isEmpty());
        assertTrue(repo().find(new ClientId("a%")).isEmpty());
    }

    @Test
    void findWhenUnknownThenEmpty() {
        assertEquals(Optional.empty(), repo().find(new ClientId("nobody")));
    }

    @Test
    void insertWhenDuplicateIdThenFalseAndOriginalKept() {
        Client original = full("dup");
        assertTrue(repo().insert(original));
        assertFalse(repo().insert(minimal("dup")));
        assertEquals(original, repo().find(new ClientId("dup")).orElseThrow());
    }

    @Test
    void updateChangesEveryFieldBothWays() {
        Client min = minimal("changing");
        assertTrue(repo().insert(min));
        Client full = full("changing");
        assertTrue(repo().update(full));
        assertEquals(full, repo().find(full.id()).orElseThrow());
        assertTrue(repo().update(min));
        assertEquals(min, repo().find(min.id()).orElseThrow());
    }

    @Test
    void updateWhenUnknownThenFalseAndNothingCreated() {
        assertFalse(repo().update(full("ghost")));
        assertTrue(repo().find(new ClientId("ghost")).isEmpty());
        assertEquals(List.of(), repo().list());
    }

    @Test
    void deleteRemovesOnlyThatClientAndIsFalseWhenMissing() {
        repo().insert(full("keep"));
        repo().insert(full("drop"));
        assertTrue(repo().delete(new ClientId("drop")));
        assertTrue(repo().find(new ClientId("drop")).isEmpty());
        assertFalse(repo().delete(new ClientId("drop")));
        assertTrue(repo().find(new ClientId("keep")).isPresent());
    }

    // find keeps the clients it found and asks only for their version: one reader held across the changes below,
    // the changes made by other instances (as the CLI in another process or another node would).

    @Test
    void findWhenChangedElsewhereThenNextFindSeesTheChange() {
        JdbcClientRepository reader = new JdbcClientRepository(testDb.db);
        assertTrue(repo().insert(minimal("moving")));
        assertEquals(minimal("moving"), reader.find(new ClientId("moving")).orElseThrow());
        assertTrue(repo().update(full("moving")));
        assertEquals(full("moving"), reader.find(new ClientId("moving")).orElseThrow());
        assertEquals(full("moving"), reader.find(new ClientId("moving")).orElseThrow(), "and again, unchanged");
        assertTrue(repo().update(minimal("moving")));
        assertEquals(minimal("moving"), reader.find(new ClientId("moving")).orElseThrow());
    }

    @Test
    void findWhenRemovedElsewhereThenUnknownAtOnce() {
        JdbcClientRepository reader = new JdbcClientRepository(testDb.db);
        assertTrue(repo().insert(full("leaving")));
        assertTrue(reader.find(new ClientId("leaving")).isPresent());
        assertTrue(repo().delete(new ClientId("leaving")));
        assertEquals(Optional.empty(), reader.find(new ClientId("leaving")));
    }

    @Test
    void findWhenRemovedAndRegisteredAgainUnderTheSameIdThenTheNewClient() {
        JdbcClientRepository reader = new JdbcClientRepository(testDb.db);
        assertTrue(repo().insert(full("reborn")));
        assertEquals(full("reborn"), reader.find(new ClientId("reborn")).orElseThrow());
        assertTrue(repo().delete(new ClientId("reborn")));
        assertTrue(repo().insert(minimal("reborn")));  // a new random version: never the old one's
        assertEquals(minimal("reborn"), reader.find(new ClientId("reborn")).orElseThrow());
    }

    @Test
    void findWhenRowEditedByHandWithTheVersionThenSeen() {
        JdbcClientRepository reader = new JdbcClientRepository(testDb.db);
        assertTrue(repo().insert(full("edited")));
        assertEquals(Scope.of("openid", "profile", "read:things", "write"), reader.find(new ClientId("edited")).orElseThrow().scope());
        testDb.db.write(c -> Jdbc.update(c, "update clients set scope = ?, version = version + 1 where client_id = ?", "read",
                "edited"));
        assertEquals(Scope.of("read"), reader.find(new ClientId("edited")).orElseThrow().scope());
    }

    @Test
    void findWhenManyUnknownOrMoreThanTheBoundThenAtMostTheBoundKept() {
        JdbcClientRepository reader = new JdbcClientRepository(testDb.db);
        for (int i = 0; i < 2_000; i++) assertTrue(reader.find(new ClientId("nobody-" + i)).isEmpty());
        assertEquals(0, reader.remembered(), "unknown ids are never kept");
        for (int i = 0; i <= JdbcClientRepository.CACHE_MAX; i++) assertTrue(repo().insert(minimal("c" + i)));
        for (int i = 0; i <= JdbcClientRepository.CACHE_MAX; i++) {
            assertEquals(minimal("c" + i), reader.find(new ClientId("c" + i)).orElseThrow());
            assertTrue(reader.remembered() <= JdbcClientRepository.CACHE_MAX);
        }
        assertEquals(minimal("c0"), reader.find(new ClientId("c0")).orElseThrow());
    }

    @Test
    void listReturnsAllOrderedById() {
        assertEquals(List.of(), repo().list());
        repo().insert(minimal("charlie"));
        repo().insert(full("alpha"));
        repo().insert(minimal("bravo"));
        List<Client> all = repo().list();
        assertEquals(List.of("alpha", "bravo", "charlie"), all.stream().map(c -> c.id().value()).toList());
        assertEquals(full("alpha"), all.getFirst());
    }

    @Test
    void insertWhenManyThreadsRaceForOneIdThenExactlyOneWins() throws Exception {
        List<Boolean> results = race(8, i -> repo().insert(full("contested").toBuilder()
                .accessTokenTtl(Duration.ofSeconds(100 + i)).build()));
        assertEquals(1, results.stream().filter(b -> b).count(), results.toString());
        long ttl = repo().find(new ClientId("contested")).orElseThrow().accessTokenTtl().toSeconds();
        assertEquals(100 + results.indexOf(true), ttl, "the stored row is the winner's");
    }

    @Test
    void concurrentInsertsUpdatesAndReadsOfDistinctClientsAllLand() throws Exception {
        int threads = 8;
        int perThread = 10;
        race(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                String id = "c-" + t + "-" + i;
                assertTrue(repo().insert(minimal(id)));
                assertTrue(repo().update(full(id)));
                assertEquals(full(id), repo().find(new ClientId(id)).orElseThrow());
            }
            return null;
        });
        List<Client> all = repo().list();
        assertEquals(threads * perThread, all.size());
        IntStream.range(0, threads).forEach(t -> assertEquals(full("c-" + t + "-0"),
                repo().find(new ClientId("c-" + t + "-0")).orElseThrow()));
    }
}
