package io.gatehouse.core.port;

/** Single use of stored tokens, atomic in the database. */
public interface RefreshTokenConsumer {
    /** Marks an unrevoked token revoked (used). @return true for exactly one of many concurrent callers */
    boolean consume(String tokenHash);
}
