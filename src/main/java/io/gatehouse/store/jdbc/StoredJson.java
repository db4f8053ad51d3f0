package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.ClaimsRequest;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON text columns: a user's address ({@code users.address}, the §5.1.1 object) and a grant's claims request
 * ({@code grants.claims_request}: {@code {"id_token":{"name":{"essential":true,"values":[...]}},"userinfo":{...}}}).
 * Absent values are SQL null.
 */
final class StoredJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Map<String, Object>>>> CLAIMS = new TypeReference<>() { };

    private StoredJson() {
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SQLException("corrupt JSON column", e);
        }
    }

    static String address(Optional<Address> a) {
        return a.map(x -> write(x.members())).orElse(null);
    }

    static Optional<Address> address(String column) throws SQLException {
        if (column == null) return Optional.empty();
        try {
            return Address.fromMembers(read(column, new TypeReference<Map<String, Object>>() { }));
        } catch (IllegalArgumentException e) {
            throw new SQLException("corrupt address column", e);
        }
    }

    static String claims(ClaimsRequest c) {
        if (c.isEmpty()) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id_token", stored(c.idToken()));
        out.put("userinfo", stored(c.userinfo()));
        return write(out);
    }

    static ClaimsRequest claims(String column) throws SQLException {
        if (column == null) return ClaimsRequest.NONE;
        Map<String, Map<String, Map<String, Object>>> m = read(column, CLAIMS);
        return new ClaimsRequest(member(m.getOrDefault("id_token", Map.of())), member(m.getOrDefault("userinfo", Map.of())));
    }

    private static Map<String, Object> stored(Map<String, ClaimsRequest.Claim> claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.forEach((name, c) -> out.put(name, Map.of("essential", c.essential(), "values", c.values())));
        return out;
    }

    private static Map<String, ClaimsRequest.Claim> member(Map<String, Map<String, Object>> stored) throws SQLException {
        Map<String, ClaimsRequest.Claim> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : stored.entrySet()) {
            if (!(e.getValue().get("essential") instanceof Boolean essential)
                    || !(e.getValue().get("values") instanceof List<?> values)) {
                throw new SQLException("corrupt claims_request column");
            }
            out.put(e.getKey(), new ClaimsRequest.Claim(essential, List.copyOf(values)));
        }
        return out;
    }
}
