package io.gatehouse.core.port;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;

import java.util.Optional;

/** The scopes a user has allowed a client, remembered so consent is asked once. */
public interface ConsentStore {
    Optional<Scope> find(String userId, ClientId clientId);

    /** Stores the union of the given and any previously allowed scopes. */
    void grant(String userId, ClientId clientId, Scope scope);
}
