package io.gatehouse.store.jdbc;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Signing keys in {@code signing_keys}. Every state change is an UPDATE conditional on the state the caller saw;
 * partial unique indexes allow one active and one next key per algorithm, so concurrent nodes cannot both win.
 */
public final class JdbcKeyStore implements KeyStore {
    private static final String COLUMNS = "kid, alg, state, private_key, kek_id, certificate_chain, created_at, "
            + "activated_at, retired_at, remove_after";

    /** Thrown inside a unit of work to roll it back when a conditional update found nothing to change. */
    private static final class Lost extends RuntimeException {
        Lost() {
            super(null, null, false, false);
        }
    }

    private final Database db;
    private final Jdbc jdbc;

    public JdbcKeyStore(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    @Override
    public List<StoredKey> all() {
        return jdbc.query("select " + COLUMNS + " from signing_keys order by created_at, kid", JdbcKeyStore::map);
    }

    @Override
    public boolean insert(StoredKey k) {
        return 1 == jdbc.update("insert into signing_keys (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict do nothing", k.kid(), k.alg().name(), name(k.state()), k.privateKey(),
                k.kekId().orElse(null), chain(k.certificateChain()), k.createdAt().getEpochSecond(), seconds(k.activatedAt()),
                seconds(k.retiredAt()), seconds(k.removeAfter()));
    }

    @Override
    public boolean promote(String next, Optional<String> retiring, Instant now, Instant removeAfter) {
        try {
            return db.write(c -> {
                // Retire first: the one-active-per-algorithm index must never see two active keys.
                if (retiring.isPresent() && Jdbc.update(c, "update signing_keys set state = 'retired', retired_at = ?, "
                        + "remove_after = ? where kid = ? and state = 'active'", now.getEpochSecond(),
                        removeAfter.getEpochSecond(), retiring.get()) != 1) {
                    throw new Lost();
                }
                if (Jdbc.update(c, "update signing_keys set state = 'active', activated_at = ? where kid = ? and state = 'next'",
                        now.getEpochSecond(), next) != 1) {
                    throw new Lost();
                }
                return true;
            });
        } catch (Lost e) {
            return false;
        } catch (Jdbc.StoreException e) {
            if (e.getCause() instanceof SQLException s && Jdbc.uniqueViolation(s)) return false;  // another active key
            throw e;
        }
    }

    @Override
    public boolean retire(String kid, State from, Instant now, Instant removeAfter) {
        return 1 == jdbc.update("update signing_keys set state = 'retired', retired_at = ?, remove_after = ? "
                + "where kid = ? and state = ?", now.getEpochSecond(), removeAfter.getEpochSecond(), kid, name(from));
    }

    @Override
    public boolean remove(String kid, State from) {
        return 1 == jdbc.update("delete from signing_keys where kid = ? and state = ?", kid, name(from));
    }

    @Override
    public boolean replacePrivateKey(String kid, String expected, String privateKey, Optional<String> kekId) {
        return 1 == jdbc.update("update signing_keys set private_key = ?, kek_id = ? where kid = ? and private_key = ?",
                privateKey, kekId.orElse(null), kid, expected);
    }

    @Override
    public boolean replaceAllPrivateKeys(List<Replacement> replacements) {
        try {
            return db.write(c -> {
                for (Replacement r : replacements) {
                    if (Jdbc.update(c, "update signing_keys set private_key = ?, kek_id = ? where kid = ? and private_key = ?",
                            r.privateKey(), r.kekId().orElse(null), r.kid(), r.expected()) != 1) {
                        throw new Lost();
                    }
                }
                try (var st = c.createStatement(); var rs = st.executeQuery("select count(*) from signing_keys")) {
                    if (!rs.next() || rs.getLong(1) != replacements.size()) throw new Lost();  // a key was added
                }
                return true;
            });
        } catch (Lost e) {
            return false;
        }
    }

    @Override
    public boolean setCertificateChain(String kid, List<String> certificates) {
        return 1 == jdbc.update("update signing_keys set certificate_chain = ? where kid = ? and certificate_chain is null",
                chain(certificates), kid);
    }

    private static StoredKey map(ResultSet rs) throws SQLException {
        String kid = rs.getString("kid");
        String alg = rs.getString("alg");
        String chain = rs.getString("certificate_chain");
        return new StoredKey(kid,
                SigningAlg.fromName(alg).orElseThrow(() -> new SQLException("signing key " + kid + " has an unknown algorithm")),
                stateOf(kid, rs.getString("state")), rs.getString("private_key"), Optional.ofNullable(rs.getString("kek_id")),
                chain == null || chain.isEmpty() ? List.of() : Arrays.asList(chain.split(",")),
                Instant.ofEpochSecond(rs.getLong("created_at")), instant(rs, "activated_at"), instant(rs, "retired_at"),
                instant(rs, "remove_after"));
    }

    private static State stateOf(String kid, String s) throws SQLException {
        for (State st : State.values()) {
            if (name(st).equals(s)) return st;
        }
        throw new SQLException("signing key " + kid + " has an unknown state");
    }

    private static String name(State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String chain(List<String> certificates) {
        return certificates.isEmpty() ? null : String.join(",", certificates);
    }

    private static Long seconds(Optional<Instant> t) {
        return t.map(Instant::getEpochSecond).orElse(null);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(v));
    }
}
