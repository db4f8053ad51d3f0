package io.gatehouse.admin.api;

import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.KeyRing;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signing keys ({@link KeyRotation}, as {@code gatehouse keys}): {@code GET .../keys} lists them (public facts only,
 * never key material), {@code POST .../keys/rotate} creates a next key (body {@code {"alg": "ES256"}}, or none for every
 * algorithm), {@code POST .../keys/{kid}/retire} stops a key from signing (body {@code {"force": true}} to switch at once).
 * A refusal of the lifecycle (a next key exists, the key is retired already) is a 409.
 */
final class KeysResource {
    static final String PATH = AdminApi.BASE + "/keys";
    static final String ROTATE = PATH + "/rotate";
    static final String RETIRE = PATH + "/{kid}/retire";

    private final KeyRotation keys;

    KeysResource(KeyRotation keys) {
        this.keys = keys;
    }

    WebResponse list(WebRequest req, AdminAuth.Caller caller) {
        Query.none(req);
        return AdminApi.items(keys.list().stream().map(this::json).toList());
    }

    WebResponse rotate(WebRequest req, AdminAuth.Caller caller) {
        JsonBody body = new JsonBody(JsonBody.optionalObject(req), Set.of("alg"));
        String alg = body.text("alg", 100);
        List<SigningAlg> algs = List.of(SigningAlg.values());
        if (alg != null) {
            Optional<SigningAlg> a = SigningAlg.fromName(alg);
            if (a.isEmpty()) body.problem("alg", "alg must be one of " + Arrays.toString(SigningAlg.values()));
            else algs = List.of(a.get());
        }
        body.check();
        KeyRing ring = new KeyRing(keys.list());
        for (SigningAlg a : algs) {
            ring.next(a).ifPresent(n -> {
                throw AdminException.conflict("a next " + a + " key exists already (" + n.kid() + "); it signs from "
                        + KeyRing.promotableAt(n, keys.policy()));
            });
        }
        List<Map<String, Object>> created = new ArrayList<>();
        for (SigningAlg a : algs) created.add(json(refusalsAsConflicts(() -> keys.rotate(a, caller.actor()))));
        return AdminApi.json(201, Map.of("items", created));
    }

    WebResponse retire(WebRequest req, AdminAuth.Caller caller) {
        JsonBody body = new JsonBody(JsonBody.optionalObject(req), Set.of("force"));
        Boolean force = body.bool("force");
        body.check();
        String kid = req.pathParameter("kid");
        if (new KeyRing(keys.list()).byKid(kid).isEmpty()) throw AdminException.notFound("no key " + kid);
        String result = refusalsAsConflicts(() -> keys.retire(kid, Boolean.TRUE.equals(force), caller.actor()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", result);
        out.put("items", keys.list().stream().map(this::json).toList());
        return AdminApi.json(200, out);
    }

    private static <T> T refusalsAsConflicts(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (KeyRotation.Refused e) {
            throw AdminException.conflict(e.getMessage());
        }
    }

    private Map<String, Object> json(StoredKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kid", k.kid());
        m.put("alg", k.alg().name());
        m.put("state", k.state().name().toLowerCase(Locale.ROOT));
        m.put("created_at", k.createdAt().toString());
        m.put("activated_at", time(k.activatedAt()));
        m.put("retired_at", time(k.retiredAt()));
        m.put("remove_after", time(k.removeAfter()));
        m.put("signs_from", k.state() == State.NEXT ? KeyRing.promotableAt(k, keys.policy()).toString() : null);
        m.put("kek_id", k.kekId().orElse(null));
        return m;
    }

    private static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}
