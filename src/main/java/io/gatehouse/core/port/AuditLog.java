package io.gatehouse.core.port;

/**
 * Security events worth one log line each: failed client authentications and user sign-ins. Never handed a
 * secret or password. Called off the hot path only (a successful, cached client authentication is not an event).
 */
public interface AuditLog {
    /** Why a client authentication failed (the wire answer is the same invalid_client for all of them). */
    enum ClientAuthFailure { UNKNOWN_CLIENT, WRONG_SECRET, SECRET_REQUIRED, PUBLIC_CLIENT }

    void clientAuthenticationFailed(String clientId, ClientAuthFailure reason);

    void loginSucceeded(String username, String userId, String address);

    /** @param throttled whether the failure throttle had slowed this attempt down */
    void loginFailed(String username, String address, boolean throttled);

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
