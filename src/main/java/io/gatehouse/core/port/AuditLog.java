package io.gatehouse.core.port;

/**
 * Security events for the audit log. Never handed a secret or password. Successes (a sign-in, an admin change) are
 * always written; failures may be aggregated per client or user and address by the implementation, never dropped.
 * Called off the hot path only (a successful, cached client authentication is not an event).
 */
public interface AuditLog {
    /** Why a client authentication failed (the wire answer is the same invalid_client for all of them). */
    enum ClientAuthFailure { UNKNOWN_CLIENT, WRONG_SECRET, SECRET_REQUIRED, PUBLIC_CLIENT }

    /** A failed client authentication whose caller's address is not known here. */
    void clientAuthenticationFailed(String clientId, ClientAuthFailure reason);

    /**
     * A failed client authentication from {@code address} (the resolved client address). Implementations that do
     * not know addresses get the event without it.
     */
    default void clientAuthenticationFailed(String clientId, String address, ClientAuthFailure reason) {
        clientAuthenticationFailed(clientId, reason);
    }

    void loginSucceeded(String username, String userId, String address);

    /** @param throttled whether the failure throttle had slowed this attempt down */
    void loginFailed(String username, String address, boolean throttled);

    /**
     * A client registered, changed or removed by an administrator.
     *
     * @param change e.g. "added", "updated (scope, secret)", "secret rotated", "removed"
     * @param actor  who: "cli (user NAME, pid N)", ...
     */
    default void clientChanged(String clientId, String change, String actor) {
    }

    /**
     * A user added, changed or removed by an administrator.
     *
     * @param change e.g. "added", "updated (name)", "password set", "removed"
     */
    default void userChanged(String username, String userId, String change, String actor) {
    }

    /** An audit log that drops every event. */
    static AuditLog none() {
        return new AuditLog() {
            @Override
            public void clientAuthenticationFailed(String clientId, ClientAuthFailure reason) {
            }

            @Override
            public void loginSucceeded(String username, String userId, String address) {
            }

            @Override
            public void loginFailed(String username, String address, boolean throttled) {
            }
        };
    }
}
