package io.gatehouse.core.admin;

/**
 * An admin use case refused ({@link AdminError}); nothing was changed. An {@link IllegalArgumentException}, so callers
 * that only print the message (the CLI) need nothing more.
 */
public final class AdminException extends IllegalArgumentException {
    private final AdminError error;

    public AdminException(AdminError error) {
        super(error.detail());
        this.error = error;
    }

    public AdminError error() {
        return error;
    }

    public static AdminException notFound(String detail) {
        return new AdminException(new AdminError.NotFound(detail));
    }

    public static AdminException conflict(String detail) {
        return new AdminException(new AdminError.Conflict(detail));
    }

    public static AdminException preconditionFailed(String detail) {
        return new AdminException(new AdminError.PreconditionFailed(detail));
    }

    public static AdminException invalid(String field, String detail) {
        return new AdminException(AdminError.Invalid.of(field, detail));
    }
}
