package io.gatehouse.core.port;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;

import java.util.List;
import java.util.Optional;

/** Registered clients. Changes are visible to every node at once (no caching here). */
public interface ClientRepository {
    Optional<Client> find(ClientId id);

    List<Client> list();

    /** @return false when a client with that id exists already */
    boolean insert(Client client);

    /** @return false when no such client */
    boolean update(Client client);

    /** @return false when no such client */
    boolean delete(ClientId id);
}
