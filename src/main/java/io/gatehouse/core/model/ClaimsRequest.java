package io.gatehouse.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OIDC Core §5.5 claims request: the individual claims a client asks for in the ID token ({@code id_token}) and from
 * userinfo ({@code userinfo}), each by name. It is kept with the grant, so the ID tokens of later refreshes and every
 * access token of the grant honour it.
 *
 * @param idToken  the claims asked for in the ID token, by name
 * @param userinfo the claims asked for from userinfo, by name
 */
public record ClaimsRequest(Map<String, Claim> idToken, Map<String, Claim> userinfo) {
    /** No claims parameter. */
    public static final ClaimsRequest NONE = new ClaimsRequest(Map.of(), Map.of());

    /**
     * One requested claim (§5.5.1). {@code null} on the wire is a voluntary claim without values.
     *
     * @param essential whether the client marked it essential
     * @param values    the values it asked for: {@code value} and the members of {@code values} (JSON scalars as
     *                  String, Boolean or Number; objects as Map, arrays as List); empty when it named none
     */
    public record Claim(boolean essential, List<Object> values) {
        public static final Claim VOLUNTARY = new Claim(false, List.of());

        public Claim {
            values = List.copyOf(values);
        }
    }

    public ClaimsRequest {
        idToken = Collections.unmodifiableMap(new LinkedHashMap<>(idToken));
        userinfo = Collections.unmodifiableMap(new LinkedHashMap<>(userinfo));
    }

    public boolean isEmpty() {
        return idToken.isEmpty() && userinfo.isEmpty();
    }

    /** This request with only the claims named in {@code known} (§5.5: unknown claims are ignored). */
    public ClaimsRequest retain(Set<String> known) {
        Map<String, Claim> id = new LinkedHashMap<>(idToken);
        Map<String, Claim> ui = new LinkedHashMap<>(userinfo);
        id.keySet().retainAll(known);
        ui.keySet().retainAll(known);
        return new ClaimsRequest(id, ui);
    }

    /** The values asked for the claim {@code name} in either member (§5.5.1: {@code sub} must match them). */
    public List<Object> valuesOf(String name) {
        List<Object> out = new ArrayList<>();
        if (idToken.containsKey(name)) out.addAll(idToken.get(name).values());
        if (userinfo.containsKey(name)) out.addAll(userinfo.get(name).values());
        return out;
    }
}
