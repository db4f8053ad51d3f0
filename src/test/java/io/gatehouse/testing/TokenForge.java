package io.gatehouse.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds real forged tokens for the negative tests: wrong keys, alg none, tampered payloads. */
public final class TokenForge {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TokenForge() {
    }

    /** RS256-signs {@code claims} with {@code key}, writing {@code kid} and {@code typ} (null: omitted). */
    public static String rs256(RSAKey key, String kid, String typ, Map<String, Object> claims) {
        try {
            JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid);
            if (typ != null) h.type(new JOSEObjectType(typ));
            JWSObject jws = new JWSObject(h.build(), new Payload(claims));
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with the given bytes as the MAC key (the "public key as HMAC secret" confusion attack). */
    public static String hs256(byte[] secret, String kid, Map<String, Object> claims) {
        try {
            byte[] k = secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid)
                    .type(new JOSEObjectType("at+jwt")).build(), new Payload(claims));
            jws.sign(new MACSigner(k));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh RSA key (to sign with a key the server does not have). */
    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: header and claims of a genuine token, an empty signature. */
    public static String algNone(String genuine) {
        String[] p = genuine.split("\\.");
        ObjectNode header = (ObjectNode) read(p[0]);
        header.put("alg", "none");
        return B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "." + p[1] + ".";
    }

    /** The genuine token with one claim changed in the payload and the original signature kept. */
    public static String tamper(String genuine, String claim, Object value) {
        String[] p = genuine.split("\\.");
        ObjectNode payload = (ObjectNode) read(p[1]);
        payload.set(claim, JSON.valueToTree(value));
        return p[0] + "." + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "." + p[2];
    }

    /** The claims of a token as a mutable map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> claims(String jwt) {
        return new LinkedHashMap<>(JSON.convertValue(read(jwt.split("\\.")[1]), Map.class));
    }

    public static String header(String jwt, String name) {
        return read(jwt.split("\\.")[0]).path(name).asText(null);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String b64) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(b64));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
