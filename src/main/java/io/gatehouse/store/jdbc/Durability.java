package io.gatehouse.store.jdbc;

import java.util.Locale;

/**
 * What an acknowledged write of the embedded database survives (config key {@code durability}).
 * PostgreSQL's own settings ({@code synchronous_commit}) decide there.
 */
public enum Durability {
    /** fsync at every commit (SQLite {@code synchronous=FULL}): survives power loss and kernel crashes. The default. */
    FULL,
    /** The commit reaches the OS before it returns (SQLite {@code synchronous=NORMAL} in WAL mode): survives the
     *  process dying in any way, but a power loss or kernel crash may lose the last commits. */
    PROCESS;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static Durability parse(String value) {
        for (Durability d : values()) {
            if (d.configName().equals(value.trim().toLowerCase(Locale.ROOT))) return d;
        }
        throw new IllegalArgumentException("durability must be full or process");
    }
}
