package io.gatehouse.core.model;

import java.time.Instant;

/** A signed-in browser session, stored by the hash of the cookie value only. */
public record Session(String idHash, String userId, Instant authTime, Instant expiresAt) {
    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Session[user=" + userId + "]";
    }
}
