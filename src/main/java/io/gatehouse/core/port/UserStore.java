package io.gatehouse.core.port;

import io.gatehouse.core.model.User;
import io.gatehouse.core.model.Versioned;

import java.util.List;
import java.util.Optional;

/** Users (resource owners). Rows are versioned as in {@link ClientRepository}. */
public interface UserStore {
    Optional<User> find(String id);

    Optional<User> findByUsername(String username);

    Optional<Versioned<User>> findVersionedByUsername(String username);

    List<User> list();

    /** At most {@code limit} users by username, those after {@code after} (exclusive) when given. */
    List<User> listAfter(Optional<String> after, int limit);

    /** @return false when the username (or id) is taken */
    boolean insert(User user);

    /** @return false when no such user or the new username is taken */
    boolean update(User user);

    /** @return false when no such user, its version is no longer {@code version}, or the new username is taken */
    boolean updateIfVersion(User user, long version);

    /** Deletes the user with their sessions and consents. @return false when no such user */
    boolean delete(String id);

    /** {@link #delete} while the user's version is {@code version}. @return false when not (or no such user) */
    boolean deleteIfVersion(String id, long version);
}
