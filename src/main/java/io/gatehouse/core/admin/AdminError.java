package io.gatehouse.core.admin;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why an admin use case refused, whoever asked (CLI or admin API); nothing was changed. Carries no HTTP status: the API
 * maps it (404, 409, 400, 412), the CLI prints {@link #detail()}. Details never hold a secret.
 */
public sealed interface AdminError {
    String detail();

    /** The client, user, key, session, grant or consent does not exist. */
    record NotFound(String detail) implements AdminError {
    }

    /** It exists already, or the change conflicts with the current state (e.g. a next key exists). */
    record Conflict(String detail) implements AdminError {
    }

    /** The version the caller saw (If-Match) is not the current one: someone changed it meanwhile. */
    record PreconditionFailed(String detail) implements AdminError {
    }

    /** Values that are not allowed, one problem per field (field names as the admin API spells them). */
    record Invalid(List<FieldProblem> problems) implements AdminError {
        public Invalid {
            if (problems.isEmpty()) throw new IllegalArgumentException("an invalid request names at least one problem");
            problems = List.copyOf(problems);
        }

        public static Invalid of(String field, String detail) {
            return new Invalid(List.of(new FieldProblem(field, detail)));
        }

        @Override
        public String detail() {
            return problems.stream().map(FieldProblem::detail).collect(Collectors.joining("; "));
        }
    }

    /** @param detail names the field itself (as the caller knows it: "redirect_uris ..." or "--redirect-uri ...") */
    record FieldProblem(String field, String detail) {
    }
}
