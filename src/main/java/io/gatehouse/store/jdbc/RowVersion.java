package io.gatehouse.store.jdbc;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Row versions of clients and users: a new row starts at a random version and every update adds one, so a version
 * (the admin API's ETag) never matches a row deleted and created again under the same id.
 */
final class RowVersion {
    private RowVersion() {
    }

    /** A random start in [1, 2^40): far from overflowing, and from the versions of other rows of the same id. */
    static long initial() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 40);
    }
}
