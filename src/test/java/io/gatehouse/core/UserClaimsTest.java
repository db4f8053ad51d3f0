package io.gatehouse.core;

import io.gatehouse.core.model.Address;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The claim assembly of OIDC Core §5.4 (scopes) and §5.5 (claims parameter), one rule per test. */
class UserClaimsTest {
    static final Address HOME = new Address(Optional.empty(), Optional.of("12 Marylebone Rd"), Optional.of("London"),
            Optional.empty(), Optional.of("NW1"), Optional.of("GB"));
    static final User ADA = new User("u_1", "ada", "$argon2id$x", Optional.of("Ada Lovelace"), Optional.of("ada@example.com"),
            true, Map.of("given_name", "Ada", "phone_number", "+44 1", "phone_number_verified", "true", "team", "math"),
            Optional.of(HOME), Instant.ofEpochSecond(100), Instant.ofEpochSecond(200), false);
    /** Only what every user has: username and updated_at. */
    static final User BARE = new User("u_2", "bare", "$argon2id$x", Optional.empty(), Optional.empty(), false, Map.of(),
            Instant.ofEpochSecond(100), Instant.ofEpochSecond(300));

    static ClaimsRequest idToken(String... names) {
        return new ClaimsRequest(claims(false, names), Map.of());
    }

    static ClaimsRequest userinfo(boolean essential, String... names) {
        return new ClaimsRequest(Map.of(), claims(essential, names));
    }

    static Map<String, ClaimsRequest.Claim> claims(boolean essential, String... names) {
        Map<String, ClaimsRequest.Claim> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, new ClaimsRequest.Claim(essential, List.of()));
        return m;
    }

    @Test
    void forScopeWhenOpenidAloneThenNothing() {
        assertEquals(Map.of(), UserClaims.forScope(ADA, Scope.of("openid")));
    }

    @Test
    void forScopeWhenEachScopeThenExactlyItsClaims() {
        assertEquals(Map.of("email", "ada@example.com", "email_verified", true), UserClaims.forScope(ADA, Scope.of("openid", "email")));
        assertEquals(Map.of("phone_number", "+44 1", "phone_number_verified", true), UserClaims.forScope(ADA, Scope.of("phone")));
        assertEquals(Map.of("address", Map.of("street_address", "12 Marylebone Rd", "locality", "London",
                "postal_code", "NW1", "country", "GB")), UserClaims.forScope(ADA, Scope.of("address")));
        assertEquals(Map.of("name", "Ada Lovelace", "preferred_username", "ada", "given_name", "Ada", "team", "math",
                "updated_at", 200L), UserClaims.forScope(ADA, Scope.of("profile")));
    }

    @Test
    void userinfoWhenScopesThenSubAndTheScopeClaims() {
        Map<String, Object> ui = UserClaims.userinfo(ADA, Scope.of("openid", "email"), ClaimsRequest.NONE);
        assertEquals(Map.of("sub", "u_1", "email", "ada@example.com", "email_verified", true), ui);
        assertEquals("sub", ui.keySet().iterator().next());
    }

    @Test
    void userinfoWhenClaimRequestedWithoutItsScopeThenReturned() {
        Map<String, Object> ui = UserClaims.userinfo(ADA, Scope.of("openid"), userinfo(true, "name", "address"));
        assertEquals(Map.of("sub", "u_1", "name", "Ada Lovelace", "address", HOME.members()), ui);
    }

    @Test
    void userinfoWhenVoluntaryAndEssentialThenBothReturnedAlike() {
        assertEquals(UserClaims.userinfo(ADA, Scope.of("openid"), userinfo(false, "email")),
                UserClaims.userinfo(ADA, Scope.of("openid"), userinfo(true, "email")));
        assertEquals("ada@example.com", UserClaims.userinfo(ADA, Scope.of("openid"), userinfo(false, "email")).get("email"));
    }

    @Test
    void userinfoWhenUserLacksRequestedClaimsThenOmittedNeverNull() {
        Map<String, Object> ui = UserClaims.userinfo(BARE, Scope.of("openid", "profile", "email", "phone", "address"),
                userinfo(true, "name", "email", "email_verified", "phone_number", "address", "given_name", "picture"));
        assertEquals(Map.of("sub", "u_2", "preferred_username", "bare", "updated_at", 300L), ui);
        assertFalse(ui.containsValue(null));
    }

    @Test
    void userinfoWhenValueOrValuesRequestedThenTheUsersRealValue() {
        ClaimsRequest r = new ClaimsRequest(Map.of(), Map.of(
                "email", new ClaimsRequest.Claim(true, List.of("someone-else@example.com")),
                "given_name", new ClaimsRequest.Claim(false, List.of("Grace", "Hedy"))));
        Map<String, Object> ui = UserClaims.userinfo(ADA, Scope.of("openid"), r);
        assertEquals("ada@example.com", ui.get("email"));
        assertEquals("Ada", ui.get("given_name"));
    }

    @Test
    void userinfoWhenCustomClaimNamedInClaimsThenOnlyWithProfileScope() {
        assertFalse(UserClaims.userinfo(ADA, Scope.of("openid"), userinfo(true, "team")).containsKey("team"));
        assertEquals("math", UserClaims.userinfo(ADA, Scope.of("openid", "profile"), ClaimsRequest.NONE).get("team"));
    }

    @Test
    void idTokenWhenScopesButNoClaimsRequestThenNoUserClaims() {
        assertEquals(Map.of(), UserClaims.idToken(ADA, ClaimsRequest.NONE));
    }

    @Test
    void idTokenWhenClaimsRequestedInIdTokenThenThoseOnly() {
        assertEquals(Map.of("email", "ada@example.com", "address", HOME.members()), UserClaims.idToken(ADA, idToken("email", "address")));
    }

    @Test
    void idTokenWhenClaimsRequestedForUserinfoOnlyThenNotInIdToken() {
        assertEquals(Map.of(), UserClaims.idToken(ADA, userinfo(true, "email")));
    }

    @Test
    void idTokenWhenUserLacksRequestedClaimThenOmitted() {
        assertEquals(Map.of(), UserClaims.idToken(BARE, idToken("email", "name", "address")));
    }

    @Test
    void scopesOfWhenClaimsRequestedThenTheScopesThatReleaseThem() {
        ClaimsRequest r = new ClaimsRequest(claims(false, "email", "acr", "sub"), claims(true, "name", "phone_number"));
        assertEquals(Set.of("email", "profile", "phone"), UserClaims.scopesOf(r));
        assertEquals(Set.of(), UserClaims.scopesOf(idToken("acr", "auth_time")));
    }

    @Test
    void requestableWhenUnknownOrCustomNameThenNotKept() {
        ClaimsRequest r = new ClaimsRequest(claims(false, "email", "team", "x-unknown", "acr"), claims(false, "name", "nope"));
        ClaimsRequest kept = r.retain(UserClaims.requestable());
        assertEquals(Set.of("email", "acr"), kept.idToken().keySet());
        assertEquals(Set.of("name"), kept.userinfo().keySet());
    }

    @Test
    void supportedWhenDiscoveryThenStandardClaimsAcrAndAddress() {
        List<String> s = UserClaims.supported();
        for (String c : List.of("sub", "acr", "auth_time", "name", "email", "email_verified", "address", "phone_number",
                "updated_at", "locale")) {
            assertTrue(s.contains(c), c);
        }
        assertEquals(s.size(), Set.copyOf(s).size(), "no duplicates");
    }

    @Test
    void reservedClaimsCannotBeSetOnAUser() {
        for (String reserved : List.of("sub", "address", "acr")) {
            assertThrows(IllegalArgumentException.class, () -> new User("u", "a", "h", Optional.empty(), Optional.empty(), false,
                    Map.of(reserved, "x"), Instant.EPOCH, Instant.EPOCH), reserved);
        }
    }

    @Test
    void addressWhenUnknownMemberOrNotAStringThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> Address.fromMembers(Map.of("street", "x")));
        assertThrows(IllegalArgumentException.class, () -> Address.fromMembers(Map.of("country", 49)));
        assertEquals(Optional.empty(), Address.fromMembers(Map.of()));
        assertEquals(Map.of("formatted", "1 Main St\nSpringfield"),
                Address.fromMembers(Map.of("formatted", "1 Main St\nSpringfield", "region", "")).orElseThrow().members());
    }
}
