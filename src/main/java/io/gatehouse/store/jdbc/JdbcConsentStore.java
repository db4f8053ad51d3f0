package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.port.ConsentStore;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Remembered consents in {@code consents}. */
public final class JdbcConsentStore implements ConsentStore {
    private final Jdbc jdbc;
    private final Clock clock;

    public JdbcConsentStore(DataSource ds, Clock clock) {
        this.jdbc = new Jdbc(ds);
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
            if (old.isPresent()) {
                if (jdbc.update("update consents set scope = ?, granted_at = ? where user_id = ? and client_id = ?",
                        merged, now, userId, clientId.value()) == 1) return;
            } else if (jdbc.insertUnique("insert into consents (user_id, client_id, scope, granted_at) values (?, ?, ?, ?)",
                    userId, clientId.value(), merged, now)) {
                return;
            }
        }
        throw new IllegalStateException("consent could not be stored");
    }
}
