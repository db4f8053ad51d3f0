package io.gatehouse.core;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** OIDC Core §3.1.2.1 prompt values. select_account is accepted and has no effect (one account per session). */
public final class Prompt {
    public static final String NONE = "none";
    public static final String LOGIN = "login";
    public static final String CONSENT = "consent";
    static final Set<String> KNOWN = Set.of(NONE, LOGIN, CONSENT, "select_account");

    private Prompt() {
    }

    public static Set<String> parse(Optional<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw.isEmpty()) return out;
        for (String p : raw.get().split(" ", -1)) {
            if (!KNOWN.contains(p)) throw new IllegalArgumentException("Unsupported prompt value");
            out.add(p);
        }
        if (out.contains(NONE) && out.size() > 1) throw new IllegalArgumentException("prompt=none cannot be combined");
        return out;
    }
}
