package io.gatehouse.config;

import java.util.Map;

/** A token endpoint mount: which dialect serves which path, with that path's options. */
public record Mount(String path, String dialect, Map<String, String> options) {
    public Mount {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("mount path must start with '/'");
        if (dialect == null || dialect.isBlank()) throw new IllegalArgumentException("mount needs a dialect");
        options = Map.copyOf(options == null ? Map.of() : options);
    }
}
