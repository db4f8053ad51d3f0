package io.gatehouse.admin;

import io.gatehouse.testing.Cli;
import io.gatehouse.testing.Cli.Run;
import io.gatehouse.testing.RequestObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `gatehouse client ...` against an embedded database directory, in-process. */
class ClientCliTest {
    @TempDir
    Path data;
    @TempDir
    Path files;


    Run cli(String... args) {
        return Cli.run(data, null, args);
    }

    @Test
    void addWithoutSecretThenGeneratedSecretPrintedOnceAndStoredHashed() throws Exception {
        Run r = cli("client", "add", "svc", "--grant", "client_credentials", "--scope", "read write",
                "--token-format", "opaque", "--access-token-ttl", "600", "--claim", "tenant=acme", "--claim", "tier=gold");
        assertEquals(0, r.code(), r.err());
        String secret = r.out().lines().filter(l -> l.startsWith("client_secret: ")).findFirst().orElseThrow().substring(15);
        assertTrue(secret.matches("[A-Za-z0-9_-]{43}"));

        Run show = cli("client", "show", "svc");
        assertEquals(0, show.code());
        assertFalse(show.out().contains(secret));
        assertFalse(show.out().contains("argon2"));
        assertTrue(show.out().contains("token_format:         opaque"));
        assertTrue(show.out().contains("access_token_ttl:     600"));
        assertTrue(show.out().contains("tenant=acme"));

        try (var db = io.gatehouse.store.jdbc.Database.open(io.gatehouse.store.jdbc.DatabaseSettings.embedded(data), io.gatehouse.store.jdbc.Database.Role.CLI);
             var c = db.reads().getConnection();
             var rs = c.createStatement().executeQuery("select secret_hash from clients where client_id = 'svc'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("$argon2id$"));
            assertFalse(rs.getString(1).contains(secret));
        }
    }

    @Test
    void introspectionWhenSetOnAddThenShownAndKeptByOtherUpdatesAndClearedByNegation() {
        assertEquals(0, cli("client", "add", "gateway", "--introspection").code());
        assertEquals(0, cli("client", "add", "app").code());
        assertTrue(cli("client", "show", "gateway").out().contains("introspection:        true"));
        assertTrue(cli("client", "show", "app").out().contains("introspection:        false"));
        assertFalse(cli("client", "show", "app").out().contains("demo:"), "only demo data says so");
        assertEquals(0, cli("client", "update", "gateway", "--scope", "a").code());
        assertTrue(cli("client", "show", "gateway").out().contains("introspection:        true"), "kept when not given");
        assertEquals(0, cli("client", "update", "gateway", "--no-introspection").code());
        assertTrue(cli("client", "show", "gateway").out().contains("introspection:        false"));
        assertEquals(0, cli("client", "update", "app", "--introspection").code());
        assertTrue(cli("client", "show", "app").out().contains("introspection:        true"));
    }

    @Test
    void jwtHeaderX5tWhenSetOnAddThenShownAndKeptByOtherUpdatesAndClearedByNegation() {
        assertEquals(0, cli("client", "add", "legacy", "--secret", "s1", "--jwt-header-x5t").code());
        assertEquals(0, cli("client", "add", "modern", "--secret", "s2").code());
        assertTrue(cli("client", "show", "legacy").out().contains("jwt_header_x5t:       true"));
        assertTrue(cli("client", "show", "modern").out().contains("jwt_header_x5t:       false"));
        assertEquals(0, cli("client", "update", "legacy", "--scope", "a").code());
        assertTrue(cli("client", "show", "legacy").out().contains("jwt_header_x5t:       true"), "kept when not given");
        assertEquals(0, cli("client", "update", "legacy", "--no-jwt-header-x5t").code());
        assertTrue(cli("client", "show", "legacy").out().contains("jwt_header_x5t:       false"));
        assertEquals(0, cli("client", "update", "modern", "--jwt-header-x5t").code());
        assertTrue(cli("client", "show", "modern").out().contains("jwt_header_x5t:       true"));
    }

    @Test
    void listUpdateRotateRemove() {
        assertEquals(0, cli("client", "add", "a", "--secret", "s1").code());
        assertEquals(0, cli("client", "add", "b", "--secret", "s2", "--scope", "x").code());
        Run list = cli("client", "list");
        assertTrue(list.out().contains("a\tconfidential\tclient_credentials"));
        assertTrue(list.out().contains("b\tconfidential\tclient_credentials\tx"));

        assertEquals(0, cli("client", "update", "a", "--scope", "p q", "--signing-alg", "ES256").code());
        assertTrue(cli("client", "show", "a").out().contains("signing_alg:          ES256"));
        assertTrue(cli("client", "show", "a").out().contains("scope:                p q"));

        Run rot = cli("client", "rotate-secret", "a");
        assertEquals(0, rot.code());
        assertTrue(rot.out().startsWith("client_secret: "));

        assertEquals(0, cli("client", "remove", "a").code());
        Run gone = cli("client", "show", "a");
        assertEquals(2, gone.code());
        assertTrue(gone.err().contains("does not exist"));
    }

    @Test
    void addWhenLimitsExceededOrDuplicateThenClearMessage() {
        Run longId = cli("client", "add", "x".repeat(51), "--secret", "s");
        assertEquals(2, longId.code());
        assertTrue(longId.err().contains("1 to 50"), longId.err());
        assertEquals(0, cli("client", "add", "x".repeat(50), "--secret", "y".repeat(100)).code());
        Run longSecret = cli("client", "add", "z", "--secret", "y".repeat(101));
        assertEquals(2, longSecret.code());
        assertTrue(longSecret.err().contains("1 to 100"), longSecret.err());
        assertFalse(longSecret.err().contains("y".repeat(101)));
        Run dup = cli("client", "add", "x".repeat(50), "--secret", "s");
        assertEquals(2, dup.code());
        assertTrue(dup.err().contains("already exists"));
        Run badGrant = cli("client", "add", "g", "--grant", "password");
        assertEquals(2, badGrant.code());
        assertTrue(badGrant.err().contains("unknown grant"));
        Run reserved = cli("client", "add", "r", "--claim", "iss=evil");
        assertEquals(2, reserved.code());
        assertTrue(reserved.err().contains("reserved"));
    }

    @Test
    void requestObjectKeysWhenPublicJwksFileThenShownByKidAndAlgKeptAndClearable() throws Exception {
        Path jwks = files.resolve("rp.jwks");
        java.nio.file.Files.writeString(jwks, RequestObjects.RP.jwks());
        Run add = cli("client", "add", "rp", "--secret", "s1", "--jwks-file", jwks.toString(),
                "--request-object-signing-alg", "PS256");
        assertEquals(0, add.code(), add.err());
        String show = cli("client", "show", "rp").out();
        assertTrue(show.contains("jwks:                 3 keys: RSA kid rp-rsa, EC kid rp-ec, OKP kid rp-ed"), show);
        assertTrue(show.contains("request_object_signing_alg: PS256"), show);
        assertEquals(0, cli("client", "update", "rp", "--scope", "a").code());
        assertTrue(cli("client", "show", "rp").out().contains("request_object_signing_alg: PS256"), "kept when not given");

        Run orphan = cli("client", "update", "rp", "--jwks-json", "");
        assertEquals(2, orphan.code(), "PS256 without keys");
        assertTrue(orphan.err().contains("needs the client's public keys"), orphan.err());
        assertEquals(0, cli("client", "update", "rp", "--jwks-json", "", "--request-object-signing-alg", "").code());
        show = cli("client", "show", "rp").out();
        assertTrue(show.contains("jwks:                 (none)"), show);
        assertTrue(show.contains("request_object_signing_alg: (any alg its keys verify; never none)"), show);
        assertEquals(0, cli("client", "update", "rp", "--request-object-signing-alg", "none").code());
        assertTrue(cli("client", "show", "rp").out().contains("request_object_signing_alg: none"));
    }

    @Test
    void requestObjectKeysWhenPrivateOrUnfitOrTooLargeThenRefusedAndNothingStored() throws Exception {
        Run priv = cli("client", "add", "rp", "--secret", "s1", "--jwks-json", RequestObjects.RP.privateJwks());
        assertEquals(2, priv.code());
        assertTrue(priv.err().contains("private or secret member \"d\""), priv.err());
        assertFalse(priv.err().contains(RequestObjects.RP.rsa.getPrivateExponent().toString()), "never echoes key material");
        assertEquals(2, cli("client", "show", "rp").code(), "not registered");

        Run unfit = cli("client", "add", "rp", "--secret", "s1", "--jwks-json", RequestObjects.jwks(RequestObjects.RP.rsa),
                "--request-object-signing-alg", "ES256");
        assertEquals(2, unfit.code());
        assertTrue(unfit.err().contains("no key of the JWK Set can verify ES256"), unfit.err());
        Run noKeys = cli("client", "add", "rp", "--secret", "s1", "--request-object-signing-alg", "RS256");
        assertEquals(2, noKeys.code());
        assertTrue(noKeys.err().contains("needs the client's public keys"), noKeys.err());
        Run hs = cli("client", "add", "rp", "--secret", "s1", "--request-object-signing-alg", "HS256");
        assertEquals(2, hs.code());
        assertTrue(hs.err().contains("client secrets are stored only as hashes"), hs.err());
        Run both = cli("client", "add", "rp", "--secret", "s1", "--jwks-json", RequestObjects.RP.jwks(), "--jwks-file", "x");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());

        Path big = files.resolve("big.jwks");
        java.nio.file.Files.writeString(big, " ".repeat(40_000));
        Run tooBig = cli("client", "add", "rp", "--secret", "s1", "--jwks-file", big.toString());
        assertEquals(2, tooBig.code());
        assertTrue(tooBig.err().contains("larger than 32 KB"), tooBig.err());
        Run missing = cli("client", "add", "rp", "--secret", "s1", "--jwks-file", files.resolve("nope.jwks").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("cannot read"), missing.err());
        assertEquals(2, cli("client", "show", "rp").code(), "still not registered");
    }
}
