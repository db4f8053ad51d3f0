package io.gatehouse.core.model;

import java.util.Optional;

/** A token request after wire parsing, one variant per grant. */
public sealed interface TokenRequest {
    /** RFC 6749 §4.4. An absent scope means the client's default (all of its scopes). */
    record ClientCredentials(Optional<Scope> scope) implements TokenRequest {
    }
}
