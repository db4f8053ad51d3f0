package io.gatehouse.testing;

import io.gatehouse.core.model.TokenRecord;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.TokenStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory fakes of the core ports for unit tests. */
public final class InMemoryStores {
    private InMemoryStores() {
    }

    public static final class Keys implements KeyStore {
        private final List<StoredKey> keys = new ArrayList<>();

        @Override
        public synchronized List<StoredKey> all() {
            return List.copyOf(keys);
        }

        @Override
        public synchronized boolean insertIfNoneFor(StoredKey key) {
            if (keys.stream().anyMatch(k -> k.alg() == key.alg())) return false;
            return keys.add(key);
        }
    }

    public static final class Tokens implements TokenStore {
        private final Map<String, TokenRecord> byHash = new ConcurrentHashMap<>();
        private final Map<String, Instant> revokedJwts = new ConcurrentHashMap<>();

        @Override
        public void save(TokenRecord token) {
            byHash.put(token.tokenHash(), token);
        }

        @Override
        public Optional<TokenRecord> findByHash(String tokenHash) {
            return Optional.ofNullable(byHash.get(tokenHash));
        }

        @Override
        public boolean revoke(String tokenHash) {
            TokenRecord t = byHash.get(tokenHash);
            if (t == null) return false;
            byHash.put(tokenHash, new TokenRecord(t.tokenHash(), t.kind(), t.clientId(), t.subject(), t.scope(),
                    t.issuedAt(), t.expiresAt(), t.grantId(), true));
            return true;
        }

        @Override
        public int revokeGrant(String grantId) {
            int n = 0;
            for (TokenRecord t : List.copyOf(byHash.values())) {
                if (t.grantId().equals(Optional.of(grantId)) && revoke(t.tokenHash())) n++;
            }
            return n;
        }

        @Override
        public void revokeJwt(String jti, Instant expiresAt) {
            revokedJwts.put(jti, expiresAt);
        }

        @Override
        public boolean isJwtRevoked(String jti) {
            return revokedJwts.containsKey(jti);
        }

        @Override
        public int purgeExpired(Instant cutoff) {
            return 0;
        }
    }
}
