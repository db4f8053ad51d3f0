package io.gatehouse.config;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.Durability;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** {@link KeyEncryption#resolve} against stored keys, in-process (the processes are in KeyEncryptionTest). */
class KeyEncryptionResolveTest {
    @TempDir
    Path dir;

    static String kek(int seed) {
        byte[] b = new byte[32];
        b[0] = (byte) seed;
        return Base64.getEncoder().encodeToString(b);
    }

    static void add(Fakes.Keys store, String kid, SigningAlg alg, KeyProtection p) {
        KeyProtection.Sealed s = p.seal(kid, alg, "{}");
        store.insert(StoredKey.created(kid, alg, State.RETIRED, s.value(), Instant.EPOCH).withPrivateKey(s.value(), s.kekId()));
    }

    ServerConfig embedded(KekSource source) {
        ServerConfig c = ServerConfig.forTest(dir);
        return c.withKeys(c.keys().withKek(source));
    }

    ServerConfig postgres(KekSource source) {
        return embedded(source).withDatabase(new DatabaseSettings(Optional.of("jdbc:postgresql://db/gh"), Optional.empty(),
                Optional.empty(), 2, dir, Durability.FULL, false));
    }

    @Test
    void keysUnderTwoKeksThenRefusedNamingBoth() {
        Fakes.Keys store = new Fakes.Keys();
        AesGcmKeyProtection a = AesGcmKeyProtection.of(Base64.getDecoder().decode(kek(1)));
        AesGcmKeyProtection b = AesGcmKeyProtection.of(Base64.getDecoder().decode(kek(2)));
        add(store, "k1", SigningAlg.ES256, a);
        add(store, "k2", SigningAlg.EdDSA, b);
        var e = assertThrows(KeyEncryption.Refused.class, () -> KeyEncryption.resolve(postgres(new KekSource.Value(kek(1))), store));
        assertTrue(e.getMessage().contains("several KEKs (KEK ids ") && e.getMessage().contains(a.kekId().orElseThrow())
                && e.getMessage().contains(b.kekId().orElseThrow()), e.getMessage());
    }

    @Test
    void interruptedRewrapThenTheRefusalNamesTheStagedFileThatHoldsTheWantedKek() throws Exception {
        Fakes.Keys store = new Fakes.Keys();
        AesGcmKeyProtection next = AesGcmKeyProtection.of(Base64.getDecoder().decode(kek(2)));
        add(store, "k1", SigningAlg.ES256, next);  // committed under the new KEK ...
        Path dflt = dir.resolve("gatehouse.kek");
        Files.writeString(dflt, kek(1));  // ... but the file was not renamed yet
        Path staged = KeyEncryption.stage(dflt, Base64.getDecoder().decode(kek(2)));
        Files.setPosixFilePermissions(dflt, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        var e = assertThrows(KeyEncryption.Refused.class, () -> KeyEncryption.resolve(embedded(KekSource.none()), store));
        assertTrue(e.getMessage().contains("wrong key-encryption key; " + staged + " holds KEK id " + next.kekId().orElseThrow()),
                e.getMessage());
    }

    @Test
    void postgresWithoutKekThenRefusedEvenWithoutKeys() {
        var e = assertThrows(KeyEncryption.Refused.class, () -> KeyEncryption.resolve(postgres(KekSource.none()), new Fakes.Keys()));
        assertTrue(e.getMessage().startsWith("the database is PostgreSQL and no key-encryption key is configured"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("gatehouse.kek")), "never a generated KEK on PostgreSQL");
    }

    @Test
    void postgresWithTheKekOfTheStoredKeysThenThatKek() {
        Fakes.Keys store = new Fakes.Keys();
        AesGcmKeyProtection a = AesGcmKeyProtection.of(Base64.getDecoder().decode(kek(1)));
        add(store, "k1", SigningAlg.ES256, a);
        var r = KeyEncryption.resolve(postgres(new KekSource.Value(kek(1))), store);
        assertEquals(a.kekId(), r.protection().kekId());
        assertEquals("GATEHOUSE_KEK", r.origin());
        assertEquals(Optional.empty(), r.defaultFile());
    }

    @Test
    void embeddedWithoutKekNorKeysThenGeneratedOnlyWhenAllowed() throws Exception {
        var plain = KeyEncryption.resolve(embedded(KekSource.none()), new Fakes.Keys(), false);
        assertEquals(Optional.empty(), plain.protection().kekId(), "rewrap's view: nothing yet");
        assertFalse(Files.exists(dir.resolve("gatehouse.kek")));
        var generated = KeyEncryption.resolve(embedded(KekSource.none()), new Fakes.Keys());
        assertEquals(Optional.of(dir.toAbsolutePath().normalize().resolve("gatehouse.kek")), generated.defaultFile());
        byte[] onDisk = Base64.getDecoder().decode(Files.readString(dir.resolve("gatehouse.kek")).strip());
        assertEquals(Optional.of(AesGcmKeyProtection.fingerprint(onDisk)), generated.protection().kekId());
        assertEquals(generated.protection().kekId(), KeyEncryption.resolve(embedded(KekSource.none()), new Fakes.Keys())
                .protection().kekId(), "the second start reads the same file");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("gatehouse.kek")).count(), "no staged file left");
        }
    }
}
