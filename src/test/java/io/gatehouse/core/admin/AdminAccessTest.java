package io.gatehouse.core.admin;

import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminAccessTest {
    private static final String ISS = "https://id.example.com";

    private static User user(Set<Role> roles) {
        return new User("u_1", "ops", "$argon2id$x", Optional.empty(), Optional.empty(), false, Map.of(), Optional.empty(),
                Instant.EPOCH, Instant.EPOCH, false, roles);
    }

    @Test
    void audiencesWhenAdminScopeThenAdminApiAddedBesidesTheClients() {
        assertEquals(List.of(ISS), AdminAccess.audiences(ISS, Scope.of("read"), ISS));
        assertEquals(List.of(ISS, ISS + "/admin/api"), AdminAccess.audiences(ISS, Scope.of("gatehouse:admin"), ISS));
        assertEquals(List.of("https://api", ISS + "/admin/api"), AdminAccess.audiences("https://api", Scope.of("gatehouse:admin:read"), ISS));
        assertEquals(List.of(ISS + "/admin/api"), AdminAccess.audiences(ISS + "/admin/api", Scope.of("gatehouse:admin"), ISS));
    }

    @Test
    void permitsWhenReadScopeThenReadsOnly() {
        assertTrue(AdminAccess.permits(Scope.of("gatehouse:admin"), true));
        assertTrue(AdminAccess.permits(Scope.of("gatehouse:admin"), false));
        assertTrue(AdminAccess.permits(Scope.of("gatehouse:admin:read"), false));
        assertFalse(AdminAccess.permits(Scope.of("gatehouse:admin:read"), true));
        assertFalse(AdminAccess.permits(Scope.of("gatehouse:administrator", "admin"), false));
    }

    @Test
    void forUserWhenNoRoleAdminThenAdminScopesDropped() {
        Scope asked = Scope.of("openid", "gatehouse:admin", "gatehouse:admin:read");
        assertEquals(Scope.of("openid"), AdminAccess.forUser(user(Set.of()), asked));
        assertEquals(asked, AdminAccess.forUser(user(Set.of(Role.ADMIN)), asked));
        assertFalse(AdminAccess.mayBeGranted(user(Set.of()), asked));
        assertTrue(AdminAccess.mayBeGranted(user(Set.of()), Scope.of("openid")));
    }
}
