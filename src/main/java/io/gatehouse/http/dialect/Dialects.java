package io.gatehouse.http.dialect;

import io.gatehouse.config.Mount;

import java.util.Map;
import java.util.Set;

/** Dialect names as used in mount configuration. Adding a dialect: one class plus one line here. */
public final class Dialects {
    private Dialects() {
    }

    public static Set<String> names() {
        return Set.of(StandardDialect.NAME);
    }

    /** @throws IllegalArgumentException for an unknown dialect or a bad option */
    public static TokenDialect create(Mount mount) {
        Map<String, String> o = mount.options();
        return switch (mount.dialect()) {
            case StandardDialect.NAME -> {
                noOptions(mount, o);
                yield new StandardDialect();
            }
            default -> throw new IllegalArgumentException("mount " + mount.path() + ": unknown dialect '"
                    + mount.dialect() + "' (known: " + String.join(", ", names()) + ")");
        };
    }

    static void noOptions(Mount mount, Map<String, String> o) {
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("mount " + mount.path() + ": dialect '" + mount.dialect()
                    + "' takes no options");
        }
    }
}
