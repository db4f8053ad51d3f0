package io.gatehouse.core;

import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class UserClaimsTest {
    static final User ADA = new User("u_1", "ada", "$argon2id$x", Optional.of("Ada Lovelace"), Optional.of("ada@example.com"),
            true, Map.of("given_name", "Ada", "phone_number", "+44 1", "phone_number_verified", "true", "team", "math"),
            Instant.ofEpochSecond(100), Instant.ofEpochSecond(200));

    @Test
    void openidAloneReleasesNothing() {
        assertEquals(Map.of(), UserClaims.forScope(ADA, Scope.of("openid")));
    }

    @Test
    void eachScopeReleasesItsClaims() {
        assertEquals(Map.of("email", "ada@example.com", "email_verified", true), UserClaims.forScope(ADA, Scope.of("openid", "email")));
        assertEquals(Map.of("phone_number", "+44 1", "phone_number_verified", true), UserClaims.forScope(ADA, Scope.of("phone")));
        Map<String, Object> profile = UserClaims.forScope(ADA, Scope.of("profile"));
        assertEquals("Ada Lovelace", profile.get("name"));
        assertEquals("ada", profile.get("preferred_username"));
        assertEquals("Ada", profile.get("given_name"));
        assertEquals("math", profile.get("team"));
        assertEquals(200L, profile.get("updated_at"));
        assertFalse(profile.containsKey("email"));
        assertFalse(profile.containsKey("phone_number"));
    }

    @Test
    void reservedClaimsCannotBeSetOnAUser() {
        assertThrows(IllegalArgumentException.class, () -> new User("u", "a", "h", Optional.empty(), Optional.empty(), false,
                Map.of("sub", "x"), Instant.EPOCH, Instant.EPOCH));
    }
}
