package io.gatehouse.http.dialect;

import io.gatehouse.config.Mount;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dialect names as used in mount configuration, each with its options. Adding a dialect: one class plus
 * one case here. Unknown options and bad values are start-up errors naming the mount, the option and the
 * accepted values.
 */
public final class Dialects {
    private Dialects() {
    }

    public static Set<String> names() {
        return new LinkedHashSet<>(java.util.List.of(StandardDialect.NAME, AppKeyDialect.NAME, JsonClientCredentialsDialect.NAME));
    }

    /** @throws IllegalArgumentException for an unknown dialect or a bad option */
    public static TokenDialect create(Mount mount) {
        Options o = new Options(mount);
        TokenDialect d = switch (mount.dialect()) {
            case StandardDialect.NAME -> new StandardDialect();
            case AppKeyDialect.NAME -> new AppKeyDialect(
                    o.choice("naming", Map.of("camelCase", AppKeyDialect.Naming.CAMEL_CASE,
                            "snake_case", AppKeyDialect.Naming.SNAKE_CASE), AppKeyDialect.Naming.CAMEL_CASE),
                    o.choice("http-status", Map.of("mirror", AppKeyDialect.HttpStatus.MIRROR,
                            "always-200", AppKeyDialect.HttpStatus.ALWAYS_200), AppKeyDialect.HttpStatus.MIRROR));
            case JsonClientCredentialsDialect.NAME -> new JsonClientCredentialsDialect(o.text("source", "AGT", 50));
            default -> throw new IllegalArgumentException("mount " + mount.path() + ": unknown dialect '"
                    + mount.dialect() + "' (known: " + String.join(", ", names()) + ")");
        };
        o.noOthers();
        return d;
    }

    /** A mount's options: each read marks the key as known; whatever is left is an error. */
    private static final class Options {
        private final Mount mount;
        private final Set<String> known = new TreeSet<>();

        Options(Mount mount) {
            this.mount = mount;
        }

        <T> T choice(String key, Map<String, T> values, T fallback) {
            known.add(key);
            String v = mount.options().get(key);
            if (v == null) return fallback;
            T t = values.get(v);
            if (t == null) {
                throw new IllegalArgumentException(where() + "option '" + key + "' must be one of "
                        + String.join(", ", new TreeSet<>(values.keySet())));
            }
            return t;
        }

        String text(String key, String fallback, int maxLength) {
            known.add(key);
            String v = mount.options().get(key);
            if (v == null) return fallback;
            if (v.isEmpty() || v.length() > maxLength || v.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
                throw new IllegalArgumentException(where() + "option '" + key + "' must be 1 to " + maxLength
                        + " printable characters");
            }
            return v;
        }

        void noOthers() {
            for (String k : mount.options().keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException(where() + "unknown option '" + k + "'"
                            + (known.isEmpty() ? " (this dialect takes no options)" : " (known: " + String.join(", ", known) + ")"));
                }
            }
        }

        private String where() {
            return "mount " + mount.path() + " (dialect '" + mount.dialect() + "'): ";
        }
    }
}
