package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.core.port.UserStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Users in {@code users}; deleting one also deletes their sessions and consents. Further claims are a JSON object of
 * strings ({@code claims}), the address the §5.1.1 JSON object ({@code address}, null when none), roles
 * space-separated ({@code roles}); {@code version} changes with every update (see {@link RowVersion}).
 */
public final class JdbcUserStore implements UserStore {
    private static final String COLUMNS = "user_id, username, password_hash, name, email, email_verified, claims, address, "
            + "created_at, updated_at, demo, roles";

    private final Database db;
    private final Jdbc jdbc;

    public JdbcUserStore(Database db) {
        this.db = db;
        this.jdbc = new Jdbc(db);
    }

    @Override
    public Optional<User> find(String id) {
        return jdbc.one("select " + COLUMNS + " from users where user_id = ?", JdbcUserStore::map, id);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return jdbc.one("select " + COLUMNS + " from users where username = ?", JdbcUserStore::map, username);
    }

    @Override
    public Optional<Versioned<User>> findVersionedByUsername(String username) {
        return jdbc.one("select " + COLUMNS + ", version from users where username = ?",
                rs -> new Versioned<>(map(rs), rs.getLong("version")), username);
    }

    @Override
    public List<User> list() {
        return jdbc.query("select " + COLUMNS + " from users order by username", JdbcUserStore::map);
    }

    @Override
    public List<User> listAfter(Optional<String> after, int limit) {
        return jdbc.query("select " + COLUMNS + " from users where username > ? order by username limit ?", JdbcUserStore::map,
                after.orElse(""), limit);
    }

    @Override
    public boolean insert(User u) {
        return 1 == jdbc.update("insert into users (" + COLUMNS + ", version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict do nothing",
                u.id(), u.username(), u.passwordHash(), u.name().orElse(null), u.email().orElse(null), u.emailVerified(),
                StoredJson.write(u.claims()), StoredJson.address(u.address()), u.createdAt().getEpochSecond(),
                u.updatedAt().getEpochSecond(), u.demo(), roles(u.roles()), RowVersion.initial());
    }

    @Override
    public boolean update(User u) {
        return update(u, "", new Object[0]);
    }

    @Override
    public boolean updateIfVersion(User u, long version) {
        return update(u, " and version = ?", new Object[]{version});
    }

    /** Every column but the id and the demo mark, which only an insert sets; the version goes up by one. */
    private boolean update(User u, String condition, Object[] conditionArgs) {
        Object[] args = {u.username(), u.passwordHash(), u.name().orElse(null), u.email().orElse(null), u.emailVerified(),
                StoredJson.write(u.claims()), StoredJson.address(u.address()), u.updatedAt().getEpochSecond(),
                roles(u.roles()), u.id()};
        Object[] all = java.util.Arrays.copyOf(args, args.length + conditionArgs.length);
        System.arraycopy(conditionArgs, 0, all, args.length, conditionArgs.length);
        try {
            return jdbc.update("update users set username = ?, password_hash = ?, name = ?, email = ?, email_verified = ?, "
                    + "claims = ?, address = ?, updated_at = ?, roles = ?, version = version + 1 where user_id = ?"
                    + condition, all) == 1;
        } catch (Jdbc.StoreException e) {
            if (e.getCause() instanceof SQLException s && Jdbc.uniqueViolation(s)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> {
            Jdbc.update(c, "delete from sessions where user_id = ?", id);
            Jdbc.update(c, "delete from consents where user_id = ?", id);
            return Jdbc.update(c, "delete from users where user_id = ?", id) == 1;
        });
    }

    /** In one transaction: the user goes only at that version, and their sessions and consents only with them. */
    @Override
    public boolean deleteIfVersion(String id, long version) {
        return db.write(c -> {
            if (Jdbc.update(c, "delete from users where user_id = ? and version = ?", id, version) != 1) return false;
            Jdbc.update(c, "delete from sessions where user_id = ?", id);
            Jdbc.update(c, "delete from consents where user_id = ?", id);
            return true;
        });
    }

    private static String roles(Set<Role> roles) {
        return String.join(" ", roles.stream().map(Role::wireName).sorted().toList());
    }

    private static Set<Role> roles(String column) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String r : column.split(" ")) Role.fromWire(r).ifPresent(out::add);  // an unknown role grants nothing
        return out;
    }

    private static User map(ResultSet rs) throws SQLException {
        Map<String, String> claims = StoredJson.read(rs.getString("claims"), new TypeReference<Map<String, String>>() { });
        return new User(rs.getString("user_id"), rs.getString("username"), rs.getString("password_hash"),
                Optional.ofNullable(rs.getString("name")), Optional.ofNullable(rs.getString("email")),
                rs.getBoolean("email_verified"), claims, StoredJson.address(rs.getString("address")),
                Instant.ofEpochSecond(rs.getLong("created_at")), Instant.ofEpochSecond(rs.getLong("updated_at")),
                rs.getBoolean("demo"), roles(rs.getString("roles")));
    }
}
