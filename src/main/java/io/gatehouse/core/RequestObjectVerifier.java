package io.gatehouse.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.token.ClientKeys;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a request object (OIDC Core §6.1 and §6.3, RFC 9101 §6) sent by a known client and returns the
 * authorization request parameters it carries. Signed objects must verify with one of the client's registered public
 * keys (chosen by {@code kid} when the header names one) with the client's registered algorithm, if it has one;
 * unsigned ones ({@code alg: none}) are accepted only from a client registered with {@code none}. Encrypted objects
 * are refused. {@code client_id} must name the client; {@code iss}, when present, too; {@code aud}, when present, must
 * contain the issuer; {@code exp}, {@code nbf} and {@code iat} must hold, give or take {@link #SKEW}. Every failure is
 * {@link OAuthError.InvalidRequestObject} with a fixed text that never echoes the object.
 *
 * <p>Meant for every place a request object arrives: the authorization endpoint ({@code request}) today, a pushed
 * authorization request (RFC 9126) later.
 */
public final class RequestObjectVerifier {
    public static final int MAX_LENGTH = 16 * 1024;
    /** No more parameters than an authorization request may have (the endpoint's form limit). */
    public static final int MAX_PARAMETERS = 100;
    public static final Duration SKEW = Duration.ofSeconds(30);
    private static final String CLIENT_ID = "client_id";
    /** JWT claims that describe the object itself rather than the authorization request (RFC 7519 §4.1). */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti");
    /** RFC 9101 §4: a request object never refers to another one. */
    private static final Set<String> FORBIDDEN = Set.of("request", "request_uri");

    private final String issuer;
    private final Clock clock;

    public RequestObjectVerifier(String issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * The parameters of a request object sent by {@code client}, by name: strings as they are, numbers and booleans as
     * their JSON text, objects and arrays (such as {@code claims}) as compact JSON text. {@code client_id} is among
     * them; the JWT claims {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code iat} and {@code jti} are not.
     *
     * @throws OAuthException with {@link OAuthError.InvalidRequestObject} when the object cannot be used
     */
    public Map<String, String> verify(Client client, String jwt) {
        if (jwt.length() > MAX_LENGTH) throw invalid("The request object is larger than " + MAX_LENGTH / 1024 + " KB");
        JOSEObject object;
        try {
            object = JOSEObject.parse(jwt);
        } catch (ParseException e) {
            throw invalid("The request object is not a well-formed JWT");
        }
        Map<String, Object> claims = switch (object) {
            case JWEObject e -> throw invalid("Encrypted request objects are not supported");
            case PlainObject p -> unsigned(client, p);
            case JWSObject s -> signed(client, s);
            default -> throw invalid("The request object is not a well-formed JWT");
        };
        return parameters(client, claims);
    }

    private Map<String, Object> unsigned(Client client, PlainObject p) {
        if (!client.requestObjectSigningAlg().equals(Optional.of(RequestObjectSigningAlg.NONE))) {
            throw invalid("The request object is unsigned (alg none), and the client is not registered for that");
        }
        checkType(p.getHeader().getType());
        return payload(p);
    }

    private Map<String, Object> signed(Client client, JWSObject s) {
        JWSHeader h = s.getHeader();
        RequestObjectSigningAlg alg = RequestObjectSigningAlg.fromWire(h.getAlgorithm().getName())
                .filter(RequestObjectSigningAlg::signed)
                .orElseThrow(() -> invalid("The request object's alg is not supported: RS256, PS256, ES256 or EdDSA"));
        if (client.requestObjectSigningAlg().isPresent() && client.requestObjectSigningAlg().get() != alg) {
            throw invalid("The request object is not signed with the client's registered request_object_signing_alg");
        }
        if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
            throw invalid("The request object has unsupported critical header parameters");
        }
        checkType(h.getType());
        if (client.jwks().isEmpty()) throw invalid("The client has no registered keys to verify request objects with");
        List<JWSVerifier> verifiers;
        try {
            verifiers = ClientKeys.verifiers(ClientKeys.parse(client.jwks().get()), alg, Optional.ofNullable(h.getKeyID()));
        } catch (IllegalArgumentException e) {
            throw invalid("The client's registered keys cannot be used");
        }
        if (verifiers.isEmpty()) throw invalid("No registered key of the client matches the request object's kid and alg");
        for (JWSVerifier v : verifiers) {
            try {
                if (s.verify(v)) return payload(s);
            } catch (JOSEException | IllegalStateException e) {
                // not this key
            }
        }
        throw invalid("The request object's signature is invalid");
    }

    /** RFC 9101 §4: {@code oauth-authz-req+jwt}; plain {@code JWT} and no {@code typ} are common and accepted. */
    private static void checkType(JOSEObjectType typ) {
        if (typ == null) return;
        String t = typ.getType().toLowerCase(Locale.ROOT);
        if (t.startsWith("application/")) t = t.substring("application/".length());
        if (!t.equals("jwt") && !t.equals("oauth-authz-req+jwt")) throw invalid("The request object's typ is not a request object's");
    }

    private static Map<String, Object> payload(JOSEObject o) {
        Map<String, Object> json = o.getPayload().toJSONObject();
        if (json == null) throw invalid("The request object's payload is not a JSON object");
        return json;
    }

    private Map<String, String> parameters(Client client, Map<String, Object> claims) {
        JWTClaimsSet c;
        try {
            c = JWTClaimsSet.parse(claims);
        } catch (ParseException e) {
            throw invalid("The request object has malformed claims");
        }
        if (!client.id().value().equals(claims.get(CLIENT_ID))) {
            throw invalid("The request object's client_id is not the client_id of the request");
        }
        if (c.getIssuer() != null && !c.getIssuer().equals(client.id().value())) {
            throw invalid("The request object's iss is not the client");
        }
        if (claims.containsKey("aud") && (c.getAudience() == null || !c.getAudience().contains(issuer))) {
            throw invalid("The request object's aud does not name this server");
        }
        Instant now = clock.instant();
        if (c.getExpirationTime() != null && !now.isBefore(c.getExpirationTime().toInstant().plus(SKEW))) {
            throw invalid("The request object has expired");
        }
        if (c.getNotBeforeTime() != null && now.isBefore(c.getNotBeforeTime().toInstant().minus(SKEW))) {
            throw invalid("The request object is not valid yet (nbf)");
        }
        if (c.getIssueTime() != null && now.isBefore(c.getIssueTime().toInstant().minus(SKEW))) {
            throw invalid("The request object was issued in the future (iat)");
        }
        if (claims.size() > MAX_PARAMETERS) throw invalid("The request object has more than " + MAX_PARAMETERS + " parameters");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            String name = e.getKey();
            if (JWT_CLAIMS.contains(name) || e.getValue() == null) continue;
            if (FORBIDDEN.contains(name)) throw invalid("A request object must not contain request or request_uri");
            String value = text(e.getValue());
            if (name.isEmpty() || hasControlCharacters(name) || hasControlCharacters(value)) {
                throw invalid("The request object's parameters must not contain control characters or empty names");
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    /** A claim value as the text of a request parameter. */
    private static String text(Object v) {
        return switch (v) {
            case String s -> s;
            case Map<?, ?> m -> {
                @SuppressWarnings("unchecked")
                Map<String, ?> object = (Map<String, ?>) m;
                yield JSONObjectUtils.toJSONString(object);
            }
            case List<?> l -> JSONArrayUtils.toJSONString(l);
            default -> String.valueOf(v);  // numbers and booleans: their JSON text
        };
    }

    /** The same characters a query parameter may not hold (see the form parser). */
    private static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 && ch != '\t' || ch == 0x7F) return true;
        }
        return false;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(new OAuthError.InvalidRequestObject(description));
    }
}
