package io.gatehouse.testing;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.KeyStore;
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

        public List<Client> list() { return List.copyOf(rows.values()); }

        public boolean insert(Client c) { return rows.putIfAbsent(c.id(), c) == null; }

        public boolean update(Client c) { return rows.replace(c.id(), c) != null; }

        public boolean delete(ClientId id) { return rows.remove(id) != null; }
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

    public static final class Keys implements KeyStore {
        public final List<StoredKey> rows = new ArrayList<>();

        public synchronized List<StoredKey> all() { return List.copyOf(rows); }

        public synchronized boolean insertIfNoneFor(StoredKey key) {
            if (rows.stream().anyMatch(k -> k.alg() == key.alg())) return false;
            return rows.add(key);
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
