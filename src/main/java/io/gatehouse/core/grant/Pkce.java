package io.gatehouse.core.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RFC 7636 with S256 only ({@code plain} is refused: it protects nothing once the request leaks). */
public final class Pkce {
    public static final String S256 = "S256";

    private Pkce() {
    }

    /** RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
    public static boolean isValidVerifier(String v) {
        if (v == null || v.length() < 43 || v.length() > 128) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) return false;
        }
        return true;
    }

    /** An S256 challenge is BASE64URL(SHA-256(verifier)) without padding: exactly 43 characters. */
    public static boolean isValidS256Challenge(String c) {
        return c != null && c.length() == 43 && c.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z'
                || ch >= '0' && ch <= '9' || ch == '-' || ch == '_');
    }

    public static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time check of a verifier against a stored S256 challenge. */
    public static boolean matches(String verifier, String challenge) {
        if (!isValidVerifier(verifier)) return false;
        return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
