package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Consent;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.port.ConsentStore;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Remembered consents in {@code consents}. */
public final class JdbcConsentStore implements ConsentStore {
    private final Jdbc jdbc;
    private final Clock clock;

    public JdbcConsentStore(Database db, Clock clock) {
        this.jdbc = new Jdbc(db);
        this.clock = clock;
    }

    @Override
    public Optional<Scope> find(String userId, ClientId clientId) {
        return jdbc.one("select scope from consents where user_id = ? and client_id = ?",
                rs -> Scope.parse(rs.getString(1)), userId, clientId.value());
    }

    @Override
    public void grant(String userId, ClientId clientId, Scope scope) {
        long now = clock.instant().getEpochSecond();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Scope> old = find(userId, clientId);
            Set<String> all = new LinkedHashSet<>(old.map(Scope::values).orElse(Set.of()));
            all.addAll(scope.values());
            String merged = new Scope(all).asString();
            // Conditional on what was read, so that a concurrent grant (another node) is merged, never overwritten.
            if (old.isPresent()) {
                if (jdbc.update("update consents set scope = ?, granted_at = ? where user_id = ? and client_id = ? and scope = ?",
                        merged, now, userId, clientId.value(), old.get().asString()) == 1) return;
            } else if (jdbc.update("insert into consents (user_id, client_id, scope, granted_at) values (?, ?, ?, ?) "
                    + "on conflict do nothing", userId, clientId.value(), merged, now) == 1) {
                return;
            }
        }
        throw new IllegalStateException("consent could not be stored");
    }

    @Override
    public List<Consent> listByUser(String userId) {
        return jdbc.query("select user_id, client_id, scope, granted_at from consents where user_id = ? order by client_id",
                rs -> new Consent(rs.getString(1), new ClientId(rs.getString(2)), Scope.parse(rs.getString(3)),
                        Instant.ofEpochSecond(rs.getLong(4))), userId);
    }

    @Override
    public boolean revoke(String userId, ClientId clientId) {
        return jdbc.update("delete from consents where user_id = ? and client_id = ?", userId, clientId.value()) == 1;
    }
}
