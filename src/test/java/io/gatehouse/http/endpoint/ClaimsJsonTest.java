package io.gatehouse.http.endpoint;

import io.gatehouse.core.model.ClaimsParameter;
import io.gatehouse.core.model.ClaimsRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Reading the claims parameter (OIDC Core §5.5): well-formed requests, and every malformed shape. */
class ClaimsJsonTest {
    static ClaimsRequest parsed(String json) {
        ClaimsParameter p = ClaimsJson.parse(Optional.of(json));
        return assertInstanceOf(ClaimsParameter.Parsed.class, p, () -> json + " -> " + p).request();
    }

    static String malformed(String json) {
        ClaimsParameter p = ClaimsJson.parse(Optional.of(json));
        return assertInstanceOf(ClaimsParameter.Malformed.class, p, json).reason();
    }

    @Test
    void parseWhenAbsentThenNoClaims() {
        assertEquals(ClaimsParameter.ABSENT, ClaimsJson.parse(Optional.empty()));
    }

    @Test
    void parseWhenSpecExampleThenMembersEssentialValueAndValues() {
        ClaimsRequest r = parsed("""
                {"userinfo":{"given_name":{"essential":true},"nickname":null,"email":{"essential":true},
                  "picture":null,"http://example.info/claims/groups":null},
                 "id_token":{"auth_time":{"essential":true},"acr":{"values":["urn:mace:incommon:iap:silver"]},
                  "sub":{"value":"248289761001"}}}""");
        assertEquals(new ClaimsRequest.Claim(true, List.of()), r.userinfo().get("given_name"));
        assertEquals(ClaimsRequest.Claim.VOLUNTARY, r.userinfo().get("nickname"));
        assertEquals(5, r.userinfo().size(), "unknown names are kept here and dropped by the core");
        assertEquals(new ClaimsRequest.Claim(false, List.of("urn:mace:incommon:iap:silver")), r.idToken().get("acr"));
        assertEquals(List.of("248289761001"), r.idToken().get("sub").values());
    }

    @Test
    void parseWhenValueAndValuesThenBothKeptAsJsonValues() {
        ClaimsRequest r = parsed("{\"id_token\":{\"email_verified\":{\"value\":true,\"values\":[1,\"a\",null,{\"x\":\"y\"}]}}}");
        assertEquals(List.of(true, 1, "a", Map.of("x", "y")), r.idToken().get("email_verified").values());
    }

    @Test
    void parseWhenOtherTopLevelMembersOrClaimMembersThenIgnored() {
        ClaimsRequest r = parsed("{\"verified_claims\":{\"a\":1},\"userinfo\":{\"name\":{\"purpose\":\"x\",\"essential\":false}}}");
        assertEquals(Map.of("name", ClaimsRequest.Claim.VOLUNTARY), r.userinfo());
        assertEquals(Map.of(), r.idToken());
        assertEquals(ClaimsRequest.NONE, parsed("{}"));
    }

    @Test
    void parseWhenMalformedThenFixedReasonsThatNeverEchoTheInput() {
        for (String bad : List.of("not json", "{\"userinfo\":", "[]", "\"text\"", "null", "42",
                "{\"userinfo\":[]}", "{\"id_token\":\"name\"}", "{\"id_token\":null}",
                "{\"userinfo\":{\"name\":true}}", "{\"userinfo\":{\"name\":\"SECRET-ECHO\"}}",
                "{\"userinfo\":{\"name\":{\"essential\":\"yes\"}}}", "{\"userinfo\":{\"name\":{\"values\":\"a\"}}}",
                "{\"userinfo\":{},\"userinfo\":{}}")) {
            String reason = malformed(bad);
            assertFalse(reason.contains("SECRET-ECHO"), reason);
        }
    }

    @Test
    void parseWhenOver10KbThenMalformedAndAt10KbThenParsed() {
        String head = "{\"userinfo\":{\"name\":null},\"pad\":\"";
        String fits = head + "a".repeat(ClaimsJson.MAX_BYTES - head.length() - 2) + "\"}";
        assertEquals(ClaimsJson.MAX_BYTES, fits.length());
        assertEquals(Map.of("name", ClaimsRequest.Claim.VOLUNTARY), parsed(fits).userinfo());
        String over = head + "a".repeat(ClaimsJson.MAX_BYTES - head.length() - 1) + "\"}";
        assertTrue(malformed(over).contains("longer than"));
        // Counted in UTF-8 bytes: 3,500 three-byte characters are over 10 KB.
        assertTrue(malformed("{\"pad\":\"" + "€".repeat(3500) + "\"}").contains("longer than"));
    }
}
