package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;

import java.time.Instant;
import java.util.List;

/** Signing keys in {@code signing_keys}; the unique alg column settles races between nodes. */
public final class JdbcKeyStore implements KeyStore {
    private final Jdbc jdbc;

    public JdbcKeyStore(Database db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public List<StoredKey> all() {
        return jdbc.query("select kid, alg, private_jwk, created_at from signing_keys order by created_at, kid",
                rs -> new StoredKey(rs.getString("kid"), SigningAlg.valueOf(rs.getString("alg")),
                        rs.getString("private_jwk"), Instant.ofEpochSecond(rs.getLong("created_at"))));
    }

    @Override
    public boolean insertIfNoneFor(StoredKey key) {
        return 1 == jdbc.update("insert into signing_keys (kid, alg, private_jwk, created_at) values (?, ?, ?, ?) "
                + "on conflict do nothing",
                key.kid(), key.alg().name(), key.privateJwk(), key.createdAt().getEpochSecond());
    }
}
