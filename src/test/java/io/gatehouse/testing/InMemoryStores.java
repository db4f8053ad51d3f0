package io.gatehouse.testing;

import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.core.port.UserStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory fakes of the ports, for unit tests of core logic (atomicity by the map, as the database would). */
public final class InMemoryStores {
    public final Map<String, TokenRecord> tokenRows = new ConcurrentHashMap<>();
    public final Set<String> revokedJwts = ConcurrentHashMap.newKeySet();
    public final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    public final Set<String> consumedCodes = ConcurrentHashMap.newKeySet();
    public final Set<String> revokedGrants = ConcurrentHashMap.newKeySet();
    public final Map<String, List<String>> jtisByGrant = new ConcurrentHashMap<>();
    public final Map<String, User> users = new ConcurrentHashMap<>();

    public final TokenStore tokens = new TokenStore() {
        public void save(TokenRecord t) { tokenRows.put(t.tokenHash(), t); }
        public Optional<TokenRecord> findByHash(String h) { return Optional.ofNullable(tokenRows.get(h)); }
        public boolean revoke(String h) { return tokenRows.computeIfPresent(h, (k, t) -> revoked(t)) != null; }
        public int revokeGrant(String g) {
            int n = 0;
            for (TokenRecord t : tokenRows.values()) {
                if (t.grantId().equals(Optional.of(g)) && !t.revoked()) { tokenRows.put(t.tokenHash(), revoked(t)); n++; }
            }
            return n;
        }
        public void revokeJwt(String jti, Instant exp) { revokedJwts.add(jti); }
        public boolean isJwtRevoked(String jti) { return revokedJwts.contains(jti); }
        public int purgeExpired(Instant cutoff) { return 0; }
    };

    public final class Codes implements CodeStore, GrantStore {
        public void save(AuthorizationCode c) { codes.put(c.codeHash(), c); }
        public Optional<AuthorizationCode> findByHash(String h) { return Optional.ofNullable(codes.get(h)); }
        public Optional<AuthorizationCode> findByGrantId(String g) {
            return codes.values().stream().filter(c -> c.grantId().equals(g)).findFirst();
        }
        public Optional<AuthorizationCode> findByJwt(String jti) {
            return jtisByGrant.entrySet().stream().filter(e -> e.getValue().contains(jti)).findFirst()
                    .flatMap(e -> findByGrantId(e.getKey()));
        }
        public boolean consume(String h, Instant now) {
            AuthorizationCode c = codes.get(h);
            return c != null && now.isBefore(c.expiresAt()) && consumedCodes.add(h);
        }
        public synchronized void revokeGrant(String g) {
            revokedGrants.add(g);
            tokens.revokeGrant(g);
            revokedJwts.addAll(jtisByGrant.getOrDefault(g, List.of()));
        }
        public boolean isGrantRevoked(String g) { return revokedGrants.contains(g); }
        public List<AuthorizationCode> activeGrants(String userId) {
            return codes.values().stream().filter(c -> c.userId().equals(userId) && !revokedGrants.contains(c.grantId())).toList();
        }
        public void recordJwt(String g, String jti, Instant exp) {
            jtisByGrant.computeIfAbsent(g, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(jti);
        }
        public int purgeExpired(Instant cutoff) { return 0; }
        public Optional<RefreshGrant> findRefreshToken(String h) {
            TokenRecord t = tokenRows.get(h);
            if (t == null || t.kind() != TokenRecord.Kind.REFRESH || t.grantId().isEmpty()) return Optional.empty();
            return findByGrantId(t.grantId().get()).map(g -> new RefreshGrant(t, g.authTime(), g.claims()));
        }
        /** Atomic as the database's transaction is: one lock for the whole write. */
        public synchronized Outcome issue(Issue issue) {
            if (issue.consumes().isPresent()) {
                TokenRecord t = tokenRows.get(issue.consumes().get());
                if (t == null || t.revoked()) return Outcome.ALREADY_USED;
                tokenRows.put(t.tokenHash(), revoked(t));
            }
            issue.refreshToken().ifPresent(tokens::save);
            issue.jwt().ifPresent(j -> recordJwt(issue.grantId(), j.jti(), j.expiresAt()));
            if (!revokedGrants.contains(issue.grantId())) return Outcome.ISSUED;
            revokeGrant(issue.grantId());
            return Outcome.GRANT_REVOKED;
        }
    }

    public final Codes codeStore = new Codes();

    public final UserStore userStore = new UserStore() {
        public Optional<User> find(String id) { return Optional.ofNullable(users.get(id)); }
        public Optional<User> findByUsername(String u) { return users.values().stream().filter(x -> x.username().equals(u)).findFirst(); }
        public Optional<io.gatehouse.core.model.Versioned<User>> findVersionedByUsername(String u) {
            return findByUsername(u).map(x -> new io.gatehouse.core.model.Versioned<>(x, 1L));
        }
        public List<User> list() { return List.copyOf(users.values()); }
        public List<User> listAfter(Optional<String> after, int limit) {
            return users.values().stream().filter(u -> after.isEmpty() || u.username().compareTo(after.get()) > 0)
                    .sorted(java.util.Comparator.comparing(User::username)).limit(limit).toList();
        }
        public boolean insert(User u) { return users.putIfAbsent(u.id(), u) == null; }
        public boolean update(User u) { return users.replace(u.id(), u) != null; }
        public boolean updateIfVersion(User u, long version) { return version == 1L && update(u); }
        public boolean delete(String id) { return users.remove(id) != null; }
        public boolean deleteIfVersion(String id, long version) { return version == 1L && delete(id); }
    };

    public final KeyStore keyStore = new Fakes.Keys();

    private static TokenRecord revoked(TokenRecord t) {
        return new TokenRecord(t.tokenHash(), t.kind(), t.clientId(), t.subject(), t.scope(), t.issuedAt(), t.expiresAt(),
                t.grantId(), true);
    }
}
