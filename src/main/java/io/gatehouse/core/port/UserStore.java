package io.gatehouse.core.port;

import io.gatehouse.core.model.User;

import java.util.List;
import java.util.Optional;

/** Users (resource owners). */
public interface UserStore {
    Optional<User> find(String id);

    Optional<User> findByUsername(String username);

    List<User> list();

    /** @return false when the username (or id) is taken */
    boolean insert(User user);

    /** @return false when no such user or the new username is taken */
    boolean update(User user);

    /** Deletes the user with their sessions and consents. @return false when no such user */
    boolean delete(String id);
}
