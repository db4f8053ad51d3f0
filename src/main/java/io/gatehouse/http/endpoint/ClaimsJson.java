package io.gatehouse.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.model.ClaimsParameter;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code claims} authorization request parameter (OIDC Core §5.5): a JSON object of at most
 * {@link #MAX_BYTES} bytes (UTF-8) whose members {@code id_token} and {@code userinfo}, when present, are objects;
 * each of their members is {@code null} or an object with optional {@code essential} (a boolean), {@code value} and
 * {@code values} (an array). Other members, at either level, are ignored (§5.5: not understood). Strict JSON
 * (duplicate keys refused, depth bounded). Anything else is {@link ClaimsParameter.Malformed}, with fixed text.
 */
final class ClaimsJson {
    static final int MAX_BYTES = 10 * 1024;

    private ClaimsJson() {
    }

    static ClaimsParameter parse(Optional<String> claims) {
        if (claims.isEmpty()) return ClaimsParameter.ABSENT;
        byte[] bytes = claims.get().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) return malformed("claims is longer than " + MAX_BYTES + " bytes");
        JsonNode root;
        try {
            root = Json.parse(bytes);
        } catch (Json.JsonException e) {
            return malformed("claims is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) return malformed("claims must be a JSON object");
        try {
            return new ClaimsParameter.Parsed(new ClaimsRequest(member(root, "id_token"), member(root, "userinfo")));
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        }
    }

    private static ClaimsParameter malformed(String reason) {
        return new ClaimsParameter.Malformed(reason);
    }

    private static Map<String, ClaimsRequest.Claim> member(JsonNode root, String name) {
        JsonNode m = root.get(name);
        Map<String, ClaimsRequest.Claim> out = new LinkedHashMap<>();
        if (m == null) return out;
        if (!m.isObject()) throw new IllegalArgumentException("claims member " + name + " must be an object");
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            out.put(e.getKey(), claim(e.getValue(), name));
        }
        return out;
    }

    private static ClaimsRequest.Claim claim(JsonNode c, String member) {
        if (c.isNull()) return ClaimsRequest.Claim.VOLUNTARY;
        if (!c.isObject()) throw new IllegalArgumentException("each claim in claims." + member + " must be null or an object");
        JsonNode essential = c.get("essential");
        if (essential != null && !essential.isBoolean() && !essential.isNull()) {
            throw new IllegalArgumentException("essential must be true or false");
        }
        List<Object> values = new ArrayList<>();
        JsonNode value = c.get("value");
        if (value != null && !value.isNull()) values.add(plain(value));
        JsonNode many = c.get("values");
        if (many != null && !many.isNull()) {
            if (!many.isArray()) throw new IllegalArgumentException("values must be an array");
            for (JsonNode v : many) if (!v.isNull()) values.add(plain(v));
        }
        return new ClaimsRequest.Claim(essential != null && essential.asBoolean(), values);
    }

    /** A JSON value as String, Boolean, Number, List or Map. */
    private static Object plain(JsonNode v) {
        return Json.mapper().convertValue(v, Object.class);
    }
}
