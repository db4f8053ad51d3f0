package io.gatehouse.testing;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory port implementations and a settable clock for core unit tests. */
public final class Fakes {
    private Fakes() {
    }

    public static final class Clients implements ClientRepository {
        public final Map<ClientId, Client> rows = new ConcurrentHashMap<>();
        public int finds;

        public Optional<Client> find(ClientId id) {
            finds++;
            return Optional.ofNullable(rows.get(id));
        }

        public final Map<ClientId, Long> versions = new ConcurrentHashMap<>();

        public Optional<io.gatehouse.core.model.Versioned<Client>> findVersioned(ClientId id) {
            return find(id).map(c -> new io.gatehouse.core.model.Versioned<>(c, versions.getOrDefault(id, 1L)));
        }

        public List<Client> list() { return List.copyOf(rows.values()); }

        public List<Client> listAfter(Optional<ClientId> after, int limit) {
            return rows.values().stream().filter(c -> after.isEmpty() || c.id().value().compareTo(after.get().value()) > 0)
                    .sorted(java.util.Comparator.comparing(c -> c.id().value())).limit(limit).toList();
        }

        public boolean insert(Client c) { return rows.putIfAbsent(c.id(), c) == null; }

        public boolean update(Client c) {
            versions.merge(c.id(), 2L, (a, b) -> a + 1);
            return rows.replace(c.id(), c) != null;
        }

        public synchronized boolean updateIfVersion(Client c, long version) {
            return versions.getOrDefault(c.id(), 1L) == version && update(c);
        }

        public boolean delete(ClientId id) { versions.remove(id); return rows.remove(id) != null; }

        public synchronized boolean deleteIfVersion(ClientId id, long version) {
            return versions.getOrDefault(id, 1L) == version && delete(id);
        }
    }

    public static final class Tokens implements TokenStore {
        public final Map<String, TokenRecord> rows = new ConcurrentHashMap<>();
        public final Map<String, Instant> revokedJtis = new ConcurrentHashMap<>();

        public void save(TokenRecord t) { rows.put(t.tokenHash(), t); }

        public Optional<TokenRecord> findByHash(String h) { return Optional.ofNullable(rows.get(h)); }

        public boolean revoke(String h) {
            return rows.computeIfPresent(h, (k, t) -> new TokenRecord(t.tokenHash(), t.kind(), t.clientId(), t.subject(),
                    t.scope(), t.issuedAt(), t.expiresAt(), t.grantId(), true)) != null;
        }

        public int revokeGrant(String grantId) {
            int n = 0;
            for (TokenRecord t : List.copyOf(rows.values())) {
                if (t.grantId().equals(Optional.of(grantId)) && !t.revoked()) {
                    revoke(t.tokenHash());
                    n++;
                }
            }
            return n;
        }

        public void revokeJwt(String jti, Instant exp) { revokedJtis.put(jti, exp); }

        public boolean isJwtRevoked(String jti) { return revokedJtis.containsKey(jti); }

        public int purgeExpired(Instant cutoff) {
            int before = rows.size();
            rows.values().removeIf(t -> t.expiresAt().isBefore(cutoff));
            return before - rows.size();
        }
    }

    /** The key store's contract in memory: one active and one next key per algorithm, conditional state changes. */
    public static class Keys implements KeyStore {
        public final List<StoredKey> rows = new ArrayList<>();

        public synchronized List<StoredKey> all() { return List.copyOf(rows); }

        public synchronized boolean insert(StoredKey key) {
            if (rows.stream().anyMatch(k -> k.kid().equals(key.kid()))) return false;
            if (key.state() != State.RETIRED
                    && rows.stream().anyMatch(k -> k.alg() == key.alg() && k.state() == key.state())) return false;
            return rows.add(key);
        }

        public synchronized boolean promote(String next, java.util.Optional<String> retiring, Instant now, Instant removeAfter) {
            java.util.Optional<StoredKey> n = find(next, State.NEXT);
            java.util.Optional<StoredKey> r = retiring.flatMap(kid -> find(kid, State.ACTIVE));
            if (n.isEmpty() || (retiring.isPresent() && r.isEmpty())) return false;
            if (retiring.isEmpty() && rows.stream().anyMatch(k -> k.alg() == n.get().alg() && k.state() == State.ACTIVE)) return false;
            r.ifPresent(k -> replace(k, new StoredKey(k.kid(), k.alg(), State.RETIRED, k.privateKey(), k.kekId(),
                    k.certificateChain(), k.createdAt(), k.activatedAt(), java.util.Optional.of(now), java.util.Optional.of(removeAfter))));
            StoredKey k = n.get();
            replace(k, new StoredKey(k.kid(), k.alg(), State.ACTIVE, k.privateKey(), k.kekId(), k.certificateChain(),
                    k.createdAt(), java.util.Optional.of(now), k.retiredAt(), k.removeAfter()));
            return true;
        }

        public synchronized boolean retire(String kid, State from, Instant now, Instant removeAfter) {
            java.util.Optional<StoredKey> f = find(kid, from);
            f.ifPresent(k -> replace(k, new StoredKey(k.kid(), k.alg(), State.RETIRED, k.privateKey(), k.kekId(),
                    k.certificateChain(), k.createdAt(), k.activatedAt(), java.util.Optional.of(now), java.util.Optional.of(removeAfter))));
            return f.isPresent();
        }

        public synchronized boolean remove(String kid, State from) {
            return find(kid, from).map(rows::remove).orElse(false);
        }

        public synchronized boolean replacePrivateKey(String kid, String expected, String privateKey, java.util.Optional<String> kekId) {
            java.util.Optional<StoredKey> f = rows.stream().filter(k -> k.kid().equals(kid) && k.privateKey().equals(expected)).findFirst();
            f.ifPresent(k -> replace(k, k.withPrivateKey(privateKey, kekId)));
            return f.isPresent();
        }

        public synchronized boolean replaceAllPrivateKeys(List<Replacement> replacements) {
            if (replacements.size() != rows.size()) return false;
            for (Replacement r : replacements) {
                if (rows.stream().noneMatch(k -> k.kid().equals(r.kid()) && k.privateKey().equals(r.expected()))) return false;
            }
            for (Replacement r : replacements) {
                StoredKey k = rows.stream().filter(x -> x.kid().equals(r.kid())).findFirst().orElseThrow();
                replace(k, k.withPrivateKey(r.privateKey(), r.kekId()));
            }
            return true;
        }

        public synchronized boolean setCertificateChain(String kid, List<String> chain) {
            java.util.Optional<StoredKey> f = rows.stream().filter(k -> k.kid().equals(kid) && k.certificateChain().isEmpty()).findFirst();
            f.ifPresent(k -> replace(k, k.withCertificateChain(chain)));
            return f.isPresent();
        }

        private java.util.Optional<StoredKey> find(String kid, State state) {
            return rows.stream().filter(k -> k.kid().equals(kid) && k.state() == state).findFirst();
        }

        private void replace(StoredKey old, StoredKey now) {
            rows.set(rows.indexOf(old), now);
        }
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) { this.now = start; }

        public void advance(Duration d) { now = now.plus(d); }

        public void set(Instant t) { now = t; }

        public Instant instant() { return now; }

        public ZoneId getZone() { return ZoneOffset.UTC; }

        public Clock withZone(ZoneId zone) { return this; }
    }
}
