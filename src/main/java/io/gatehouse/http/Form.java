package io.gatehouse.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Strict application/x-www-form-urlencoded parsing (bodies and query strings): broken percent-encoding,
 * bytes that are not UTF-8, control characters, empty names and too many parameters are errors, never
 * guessed at.
 */
public final class Form {
    public static final int MAX_PARAMETERS = 100;

    /** A malformed form; the message is safe to show (it never echoes values). */
    public static final class FormException extends Exception {
        public FormException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, List<String>> params;

    private Form(Map<String, List<String>> params) {
        this.params = params;
    }

    public static Form empty() {
        return new Form(Map.of());
    }

    /** One value per name, already decoded and checked (say, the parameters of a verified request object). */
    public static Form of(Map<String, String> values) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, List.of(v)));
        return new Form(out);
    }

    public static Form parse(byte[] raw) throws FormException {
        return parse(new String(raw, StandardCharsets.ISO_8859_1));  // 1 char per byte; decoded below
    }

    /** @param raw the encoded form, as bytes-as-chars (ISO-8859-1) or plain ASCII */
    public static Form parse(String raw) throws FormException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) return new Form(out);
        int count = 0;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) continue;
            if (++count > MAX_PARAMETERS) throw new FormException("Too many parameters");
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name.isEmpty()) throw new FormException("Empty parameter name");
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return new Form(out);
    }

    /** Decodes one form-urlencoded component (e.g. each half of RFC 6749 Basic credentials). */
    public static String decodeComponent(String s) throws FormException {
        return decode(s);
    }

    static String decode(String s) throws FormException {
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= s.length()) throw new FormException("Malformed percent-encoding");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new FormException("Malformed percent-encoding");
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0xFF) {
                throw new FormException("Malformed form encoding");
            } else {
                bytes[n++] = (byte) c;
            }
        }
        String decoded;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n));
            decoded = cb.toString();
        } catch (CharacterCodingException e) {
            throw new FormException("Parameters must be UTF-8");
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) throw new FormException("Control characters are not allowed");
        }
        return decoded;
    }

    /** Every parameter name, in order of first appearance. */
    public java.util.Set<String> names() {
        return params.keySet();
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /**
     * The single value of a parameter; empty when absent or sent without a value (RFC 6749 §3.1).
     *
     * @throws FormException when the parameter is repeated
     */
    public Optional<String> single(String name) throws FormException {
        List<String> v = params.get(name);
        if (v == null) return Optional.empty();
        if (v.size() > 1) throw new FormException("Parameter '" + name + "' is repeated");
        return v.getFirst().isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }
}
