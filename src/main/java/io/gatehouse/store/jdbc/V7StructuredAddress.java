package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.core.model.Address;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Migration 7: the structured address claim (OIDC Core §5.1.1) and the claims request parameter (§5.5).
 * <ul>
 * <li>{@code users.address}: the address as a JSON object; a plain string {@code address} among a user's claims
 * moves there as {@code {"formatted": "..."}} (an empty one is dropped).</li>
 * <li>{@code grants.claims_request}: the claims parameter of the authorization request, as JSON (null when none).</li>
 * </ul>
 * Java, not SQL, because moving a member out of a JSON text column has no syntax that SQLite and PostgreSQL share
 * (json_extract / ->> on text against jsonb operators); the DDL is plain and runs on both. One transaction.
 */
final class V7StructuredAddress implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("7");
    }

    @Override
    public String getDescription() {
        return "structured address";
    }

    @Override
    public Integer getChecksum() {
        return null;  // like Flyway's own Java migrations
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("alter table users add column address text");
            s.execute("alter table grants add column claims_request text");
        }
        List<String[]> moves = new ArrayList<>();  // user id, claims without address, address JSON
        try (PreparedStatement q = c.prepareStatement("select user_id, claims from users where claims like ?")) {
            q.setString(1, "%\"address\"%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> claims = new LinkedHashMap<>(
                            StoredJson.read(rs.getString(2), new TypeReference<Map<String, String>>() { }));
                    if (!claims.containsKey("address")) continue;
                    String text = claims.remove("address");
                    Optional<Address> address = text == null || text.isEmpty() ? Optional.empty()
                            : Optional.of(Address.formatted(text));
                    moves.add(new String[]{rs.getString(1), StoredJson.write(claims), StoredJson.address(address)});
                }
            }
        }
        try (PreparedStatement u = c.prepareStatement("update users set claims = ?, address = ? where user_id = ?")) {
            for (String[] m : moves) {
                u.setString(1, m[1]);
                u.setString(2, m[2]);
                u.setString(3, m[0]);
                u.executeUpdate();
            }
        }
    }
}
