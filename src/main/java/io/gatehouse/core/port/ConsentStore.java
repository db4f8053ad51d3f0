package io.gatehouse.core.port;

import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Consent;
import io.gatehouse.core.model.Scope;

import java.util.List;
import java.util.Optional;

/** The scopes a user has allowed a client, remembered so consent is asked once. */
public interface ConsentStore {
    Optional<Scope> find(String userId, ClientId clientId);

    /** Stores the union of the given and any previously allowed scopes. */
    void grant(String userId, ClientId clientId, Scope scope);

    /** The user's consents, by client id. */
    List<Consent> listByUser(String userId);

    /** Forgets a consent (the next authorization asks again). @return false when there was none */
    boolean revoke(String userId, ClientId clientId);
}
