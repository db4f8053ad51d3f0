package io.gatehouse.core.grant;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.Scope;

import java.util.Optional;

/** Scope rules shared by the grants. */
public final class Scopes {
    private Scopes() {
    }

    /** The requested scope if the client may have all of it; the client's whole scope when none is asked. */
    public static Scope grantable(Client client, Optional<Scope> requested) {
        if (requested.isEmpty() || requested.get().isEmpty()) return client.scope();
        if (!client.scope().containsAll(requested.get())) {
            throw new OAuthException(new OAuthError.InvalidScope(
                    "The requested scope is invalid, unknown, or exceeds the scope granted to the client"));
        }
        return requested.get();
    }
}
