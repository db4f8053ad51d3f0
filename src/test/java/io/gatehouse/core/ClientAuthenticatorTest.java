package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ClientAuthenticatorTest {
    final SecretHasher hasher = new SecretHasher(1024, 1);
    final Fakes.Clients clients = new Fakes.Clients();
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ClientAuthenticator auth = new ClientAuthenticator(clients, hasher, clock, new SecureRandom());

    Client confidential(String id, String secret) {
        Client c = Client.builder(new ClientId(id)).secretHash(hasher.hash(secret)).build();
        clients.insert(c);
        return c;
    }

    static ClientAuth basic(String id, String secret) {
        return new ClientAuth(id, Optional.of(secret), ClientAuth.Method.CLIENT_SECRET_BASIC);
    }

    @Test
    void authenticateWhenSecretRightThenClient() {
        Client c = confidential("a", "s");
        assertEquals(c, auth.authenticate(basic("a", "s")));
        assertEquals(c, auth.authenticate(basic("a", "s")));  // cached path
    }

    @Test
    void authenticateWhenWrongSecretOrUnknownThenSameInvalidClient() {
        confidential("a", "s");
        OAuthError wrong = assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "x"))).error();
        OAuthError unknown = assertThrows(OAuthException.class, () -> auth.authenticate(basic("zz", "x"))).error();
        assertEquals(wrong, unknown);
        assertInstanceOf(OAuthError.InvalidClient.class, wrong);
        assertEquals(OAuthError.ClientAuthMethodHint.BASIC, ((OAuthError.InvalidClient) wrong).attempted());
    }

    @Test
    void authenticateWhenSecretRotatedThenCachedVerificationNoLongerCounts() {
        confidential("a", "old");
        auth.authenticate(basic("a", "old"));
        clients.update(clients.rows.get(new ClientId("a")).toBuilder().secretHash(hasher.hash("new")).build());
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "old")));
        assertNotNull(auth.authenticate(basic("a", "new")));
    }

    @Test
    void authenticateWhenCachedThenWrongSecretStillRefused() {
        confidential("a", "s");
        auth.authenticate(basic("a", "s"));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "s2")));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a", "")));
    }

    @Test
    void authenticateWhenPublicClientWithoutSecretThenClientButNeverWithSecretMethods() {
        Client pub = Client.builder(new ClientId("spa")).grantTypes(Set.of(GrantType.AUTHORIZATION_CODE)).build();
        clients.insert(pub);
        assertEquals(pub, auth.authenticate(new ClientAuth("spa", Optional.empty(), ClientAuth.Method.NONE)));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("spa", "")));
        confidential("conf", "s");
        assertThrows(OAuthException.class,
                () -> auth.authenticate(new ClientAuth("conf", Optional.empty(), ClientAuth.Method.NONE)));
    }

    @Test
    void authenticateWhenIdInvalidThenInvalidClientWithoutLookup() {
        int before = clients.finds;
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("x".repeat(51), "s")));
        assertThrows(OAuthException.class, () -> auth.authenticate(basic("a\r\nb", "s")));
        assertEquals(before, clients.finds);
    }
}
