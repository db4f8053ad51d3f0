package io.gatehouse.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redirect URI matching: exact string comparison (no normalisation of case, slashes, dots or encoding),
 * with the one exception of RFC 8252 §7.3: a registered http loopback IP literal (127.0.0.1 or [::1])
 * matches any port.
 */
public final class RedirectUris {
    private static final Pattern LOOPBACK = Pattern.compile("^http://(127\\.0\\.0\\.1|\\[::1\\])(?::([0-9]{1,5}))?([/?].*)?$");

    private RedirectUris() {
    }

    /** @return the URI to redirect to (the requested one) when it matches a registered one */
    public static Optional<String> match(List<String> registered, String requested) {
        if (requested.length() > 2000) return Optional.empty();
        for (String r : registered) {
            if (r.equals(requested)) return Optional.of(requested);
        }
        Matcher q = LOOPBACK.matcher(requested);
        if (!q.matches() || q.group(2) != null && Integer.parseInt(q.group(2)) > 65535) return Optional.empty();
        for (String r : registered) {
            Matcher m = LOOPBACK.matcher(r);
            if (m.matches() && m.group(1).equals(q.group(1))
                    && java.util.Objects.equals(m.group(3), q.group(3))) {
                return Optional.of(requested);
            }
        }
        return Optional.empty();
    }

    /** Exact match only (post-logout redirect URIs). */
    public static boolean exact(List<String> registered, String requested) {
        return registered.contains(requested);
    }
}
