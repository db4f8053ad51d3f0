package io.gatehouse.core.error;

/** Carries an {@link OAuthError}. No stack trace: these are expected outcomes, not bugs. */
public final class OAuthException extends RuntimeException {
    private final transient OAuthError error;

    public OAuthException(OAuthError error) {
        super(error.code() + ": " + error.description(), null, false, false);
        this.error = error;
    }

    public OAuthError error() {
        return error;
    }
}
