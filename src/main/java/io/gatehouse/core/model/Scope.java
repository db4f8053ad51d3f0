package io.gatehouse.core.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An ordered set of RFC 6749 scope tokens (NQCHAR, space-delimited on the wire). */
public record Scope(Set<String> values) {
    public static final int MAX_LENGTH = 2048;
    public static final int MAX_TOKENS = 64;
    public static final Scope EMPTY = new Scope(Set.of());

    public Scope {
        values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        if (values.size() > MAX_TOKENS) throw new IllegalArgumentException("too many scope values");
        for (String v : values) {
            if (!isToken(v)) throw new IllegalArgumentException("malformed scope value");
        }
    }

    /** Parses a space-delimited scope string; throws IllegalArgumentException when malformed or too long. */
    public static Scope parse(String s) {
        if (s == null || s.isEmpty()) return EMPTY;
        if (s.length() > MAX_LENGTH) throw new IllegalArgumentException("scope is too long");
        Set<String> out = new LinkedHashSet<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ' ') {
                if (i == start) throw new IllegalArgumentException("malformed scope: empty value");
                out.add(s.substring(start, i));
                if (out.size() > MAX_TOKENS) throw new IllegalArgumentException("too many scope values");
                start = i + 1;
            }
        }
        return new Scope(out);
    }

    public static Scope of(String... values) {
        return new Scope(new LinkedHashSet<>(List.of(values)));
    }

    static boolean isToken(String v) {
        if (v == null || v.isEmpty() || v.length() > 256) return false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) return false;
        }
        return true;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean contains(String value) {
        return values.contains(value);
    }

    public boolean containsAll(Scope other) {
        return values.containsAll(other.values);
    }

    public List<String> asList() {
        return List.copyOf(values);
    }

    /** The wire form: values joined by single spaces. */
    public String asString() {
        return String.join(" ", values);
    }

    @Override
    public String toString() {
        return asString();
    }
}
