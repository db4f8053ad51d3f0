package io.gatehouse.core.port;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Versioned;

import java.util.List;
import java.util.Optional;

/**
 * Registered clients. Changes are visible to every node at once (no caching here). Every row has a version that each
 * update changes (optimistic concurrency for the admin API); the {@code IfVersion} methods change a row only while it
 * has the version the caller saw.
 */
public interface ClientRepository {
    Optional<Client> find(ClientId id);

    Optional<Versioned<Client>> findVersioned(ClientId id);

    List<Client> list();

    /** At most {@code limit} clients by id, those after {@code after} (exclusive) when given. */
    List<Client> listAfter(Optional<ClientId> after, int limit);

    /** @return false when a client with that id exists already */
    boolean insert(Client client);

    /** @return false when no such client */
    boolean update(Client client);

    /** @return false when no such client, or its version is no longer {@code version} */
    boolean updateIfVersion(Client client, long version);

    /** @return false when no such client */
    boolean delete(ClientId id);

    /** @return false when no such client, or its version is no longer {@code version} */
    boolean deleteIfVersion(ClientId id, long version);
}
