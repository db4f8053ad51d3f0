package io.gatehouse.core.model;

/**
 * A stored value with its row version: a number the store changes with every update of the row, for optimistic
 * concurrency (the admin API's ETag and If-Match). Opaque: only equality means anything.
 */
public record Versioned<T>(T value, long version) {
    public Versioned {
        if (value == null) throw new IllegalArgumentException("value is required");
    }
}
