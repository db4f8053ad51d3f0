package io.gatehouse;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Signing keys encrypted at rest, as an operator meets it: `serve` and `keys` as separate processes on an embedded
 * data directory, KEKs from GATEHOUSE_KEK, --kek-file and the generated DATA/gatehouse.kek.
 */
class KeyEncryptionTest {
    static final Map<String, String> NO_ENV = Map.of();
    final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void clean() {
        dirs.forEach(TestDb::deleteTree);
    }

    // --- first start, no key material in clear ----------------------------------------------------------------------

    @Test
    void firstStartGeneratesA0600KekFileAndTheDatabaseFileHoldsNoPrivateKeyInClear() throws Exception {
        Path data = dir();
        String jwks;
        String log;
        try (ServerProcess server = ServerProcess.serve(NO_ENV, "--data", data.toString())) {
            jwks = Http.get(server.base + "/jwks").body();
            log = server.output();
        }
        Path kekFile = data.resolve("gatehouse.kek");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kekFile)));
        String kekText = Files.readString(kekFile).strip();
        byte[] kek = Base64.getDecoder().decode(kekText);
        assertEquals(32, kek.length);
        String id = AesGcmKeyProtection.fingerprint(kek);
        assertTrue(log.contains("generated a key-encryption key in " + kekFile + " (KEK id " + id + ")"), log);
        assertTrue(log.contains("signing keys encrypted at rest under KEK id " + id), log);
        assertFalse(log.contains(kekText), "the KEK is never logged");

        List<StoredKey> rows = rows(data);
        assertEquals(4, rows.size());
        List<JWK> opened = new ArrayList<>();
        for (StoredKey k : rows) {
            assertEquals(java.util.Optional.of(id), k.kekId(), k.kid());
            opened.add(JWK.parse(AesGcmKeyProtection.of(kek).open(k)));
        }
        assertEquals(JWKSet.parse(jwks).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet()),
                opened.stream().map(JWK::getKeyID).collect(Collectors.toSet()));
        assertNoPrivateMaterial(data, rows, opened);
    }

    @Test
    void plainKeysFromBeforeAreEncryptedAtTheFirstStartWithAKekAndTheAuditLogSaysSo() throws Exception {
        Path data = dir();
        insert(data, KeyProtection.plaintext());
        List<JWK> plain = plainJwks();
        assertFalse(findings(data, plain).isEmpty(), "the search finds plain keys where they are (control)");
        String kek = TestDb.newKek();
        String id = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(kek));
        String jwks;
        String log;
        try (ServerProcess server = ServerProcess.serve(Map.of("GATEHOUSE_KEK", kek), "--data", data.toString())) {
            jwks = Http.get(server.base + "/jwks").body();
            log = server.output();
        }
        for (StoredKey k : TestServer.keys()) {
            assertTrue(log.contains("signing key encrypted at rest (KEK id " + id + "): kid=\"" + k.kid() + "\""), log);
        }
        assertTrue(log.contains("encrypted 4 key(s) stored in plain form"), log);
        assertEquals(TestServer.keys().stream().map(StoredKey::kid).collect(Collectors.toSet()),
                JWKSet.parse(jwks).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet()), "the same keys");
        List<StoredKey> rows = rows(data);
        assertTrue(rows.stream().allMatch(k -> k.kekId().equals(java.util.Optional.of(id))), rows.toString());
        assertFalse(Files.exists(data.resolve("gatehouse.kek")), "a configured KEK: no file generated");
        assertNoPrivateMaterial(data, rows, plain);
    }

    // --- refusals at start: nothing overwritten ---------------------------------------------------------------------

    @Test
    void wrongKekIsRefusedAtStartNamingBothKekIdsAndNothingIsOverwritten() throws Exception {
        Path data = dir();
        byte[] right = random32();
        Files.writeString(kekFile(data.resolve("gatehouse.kek")), Base64.getEncoder().encodeToString(right) + "\n");
        insert(data, AesGcmKeyProtection.of(right));
        String rightId = AesGcmKeyProtection.fingerprint(right);
        List<StoredKey> before = rows(data);
        byte[] kekFileBefore = Files.readAllBytes(data.resolve("gatehouse.kek"));

        String wrong = TestDb.newKek();
        String wrongId = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(wrong));
        ServerProcess.Result r = serve(Map.of("GATEHOUSE_KEK", wrong), data);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("the database holds signing keys encrypted under KEK id " + rightId
                + ", but the key-encryption key from GATEHOUSE_KEK has KEK id " + wrongId + ": wrong key-encryption key"), r.output());
        assertTrue(r.output().contains(data.resolve("gatehouse.kek") + " holds KEK id " + rightId), "hint: " + r.output());
        assertFalse(r.output().contains(wrong), "the KEK is never printed");

        Path wrongFile = kekFile(data.getParent().resolve(data.getFileName() + "-wrong.kek"));
        Files.writeString(wrongFile, wrong);
        ServerProcess.Result viaFile = serve(NO_ENV, data, "--kek-file", wrongFile.toString());
        assertEquals(2, viaFile.exitCode(), viaFile.output());
        assertTrue(viaFile.output().contains("from --kek-file " + wrongFile + " has KEK id " + wrongId), viaFile.output());

        Files.writeString(data.resolve("gatehouse.kek"), wrong);  // the default file itself replaced
        ServerProcess.Result viaDefault = serve(NO_ENV, data);
        assertEquals(2, viaDefault.exitCode(), viaDefault.output());
        assertTrue(viaDefault.output().contains("encrypted under KEK id " + rightId + ", but the key-encryption key from "
                + data.resolve("gatehouse.kek") + " has KEK id " + wrongId), viaDefault.output());
        Files.write(data.resolve("gatehouse.kek"), kekFileBefore);

        ServerProcess.Result rotate = ServerProcess.run(Map.of("GATEHOUSE_KEK", wrong), "keys", "rotate", "--alg", "ES256",
                "--data", data.toString());
        assertEquals(2, rotate.exitCode(), rotate.output());
        assertTrue(rotate.output().contains("wrong key-encryption key"), rotate.output());
        assertEquals(before, rows(data), "no row changed, no key added");

        try (ServerProcess server = ServerProcess.serve(NO_ENV, "--data", data.toString())) {
            assertEquals(200, Http.get(server.base + "/jwks").statusCode(), "the right KEK still opens everything");
        }
    }

    @Test
    void missingKekWithEncryptedKeysIsRefusedAndNoKekOrKeyIsGenerated() {
        Path data = dir();
        byte[] kek = random32();
        insert(data, AesGcmKeyProtection.of(kek));
        List<StoredKey> before = rows(data);
        String id = AesGcmKeyProtection.fingerprint(kek);
        ServerProcess.Result r = serve(NO_ENV, data);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("gatehouse: the database holds encrypted signing keys (KEK id " + id + ") but no "
                + "key-encryption key was found: " + data.resolve("gatehouse.kek") + " is missing and GATEHOUSE_KEK / "
                + "--kek-file are not set"), r.output());
        assertFalse(Files.exists(data.resolve("gatehouse.kek")), "never a new KEK");
        assertEquals(before, rows(data), "never new keys");

        ServerProcess.Result rotate = ServerProcess.run(NO_ENV, "keys", "rotate", "--data", data.toString());
        assertEquals(2, rotate.exitCode(), rotate.output());
        assertTrue(rotate.output().contains("no key-encryption key was found"), rotate.output());
        assertFalse(Files.exists(data.resolve("gatehouse.kek")));
        assertEquals(before, rows(data));

        ServerProcess.Result list = ServerProcess.run(NO_ENV, "keys", "list", "--data", data.toString());
        assertEquals(0, list.exitCode(), "listing needs no KEK: " + list.output());
        assertTrue(list.output().contains("KEK-ID") && list.output().contains(id), list.output());
    }

    @Test
    void corruptRowUnderTheRightKekIsRefusedNamingTheKid() throws Exception {
        Path data = dir();
        byte[] kek = random32();
        insert(data, AesGcmKeyProtection.of(kek));
        StoredKey victim = rows(data).get(1);
        String v = victim.privateKey();
        String flipped = v.substring(0, v.length() - 3) + (v.charAt(v.length() - 3) == 'A' ? 'B' : 'A') + v.substring(v.length() - 2);
        execute(data, "update signing_keys set private_key = ? where kid = ?", flipped, victim.kid());
        List<StoredKey> before = rows(data);
        ServerProcess.Result r = serve(Map.of("GATEHOUSE_KEK", Base64.getEncoder().encodeToString(kek)), data);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("signing key " + victim.kid() + " (" + victim.alg() + ") is corrupt"), r.output());
        assertTrue(r.output().contains("authentication tag mismatch"), r.output());
        assertEquals(before, rows(data));
    }

    @Test
    void kekOfTheWrongLengthOrNotBase64IsRefusedWithExitCode2WithoutShowingIt() throws Exception {
        Path data = dir();
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        ServerProcess.Result r = serve(Map.of("GATEHOUSE_KEK", short16), data);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("GATEHOUSE_KEK holds 16 bytes, not 32: a key-encryption key is the base64 of 32 "
                + "random bytes, e.g. from `openssl rand -base64 32`"), r.output());

        ServerProcess.Result garbage = serve(Map.of("GATEHOUSE_KEK", "this is not*base64"), data);
        assertEquals(2, garbage.exitCode(), garbage.output());
        assertTrue(garbage.output().contains("GATEHOUSE_KEK is not valid base64"), garbage.output());
        assertFalse(garbage.output().contains("this is not*base64"), garbage.output());

        Path file = kekFile(data.getParent().resolve(data.getFileName() + "-short.kek"));
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[31]) + "\n");
        ServerProcess.Result viaFile = serve(NO_ENV, data, "--kek-file", file.toString());
        assertEquals(2, viaFile.exitCode(), viaFile.output());
        assertTrue(viaFile.output().contains("key-encryption key file --kek-file " + file + " holds 31 bytes, not 32"),
                viaFile.output());
        assertFalse(Files.exists(data.resolve("gatehouse.kek")), "nothing generated instead");
        assertEquals(List.of(), rows(data), "no key generated");
    }

    @Test
    void kekFileReadableByOthersIsRefusedUnlessAllowedLikeTheDataDirectory() throws Exception {
        Path data = dir();
        Path file = kekFile(data.getParent().resolve(data.getFileName() + "-open.kek"));
        Files.writeString(file, TestDb.newKek());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ServerProcess.Result r = serve(NO_ENV, data, "--kek-file", file.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("other users can access key-encryption key file --kek-file " + file
                + " (mode 0644): run `chmod 600 " + file + "`, or start with --allow-insecure-permissions"), r.output());
        ServerProcess.Result env = serve(Map.of("GATEHOUSE_KEK_FILE", file.toString()), data);
        assertEquals(2, env.exitCode(), env.output());
        assertTrue(env.output().contains("key-encryption key file GATEHOUSE_KEK_FILE " + file), env.output());
        assertEquals(List.of(), rows(data));

        try (ServerProcess server = ServerProcess.serve(NO_ENV, "--data", data.toString(), "--kek-file", file.toString(),
                "--allow-insecure-permissions")) {
            assertTrue(server.output().contains("other users can access key-encryption key file --kek-file " + file
                    + " (mode 0644; --allow-insecure-permissions given)"), server.output());
        }

        Path other = dir();
        try (ServerProcess ignored = ServerProcess.serve(NO_ENV, "--data", other.toString())) {
            // generates other/gatehouse.kek
        }
        Files.setPosixFilePermissions(other.resolve("gatehouse.kek"), PosixFilePermissions.fromString("rw-r-----"));
        ServerProcess.Result generated = serve(NO_ENV, other);
        assertEquals(2, generated.exitCode(), generated.output());
        assertTrue(generated.output().contains("other users can access key-encryption key file "
                + other.resolve("gatehouse.kek") + " (mode 0640)"), generated.output());
    }

    // --- keys rewrap ------------------------------------------------------------------------------------------------

    @Test
    void rewrapOfTheGeneratedKekReplacesItsFileKeepsTheOldOneAndOnlyTheNewKekStartsTheServer() throws Exception {
        Path data = dir();
        String kidsBefore;
        try (ServerProcess server = ServerProcess.serve(NO_ENV, "--data", data.toString())) {
            kidsBefore = kids(Http.get(server.base + "/jwks").body());
            Path next = newKekFile(data, TestDb.newKek());
            ServerProcess.Result busy = ServerProcess.run(NO_ENV, "keys", "rewrap", "--new-kek-file", next.toString(),
                    "--data", data.toString());
            assertEquals(2, busy.exitCode(), busy.output());
            assertTrue(busy.output().contains("is in use by a Gatehouse server"), busy.output());
        }
        String oldKek = Files.readString(data.resolve("gatehouse.kek")).strip();
        String oldId = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(oldKek));
        List<StoredKey> before = rows(data);
        Path backup = data.resolveSibling(data.getFileName() + "-files").resolve("before-rewrap.db");
        ServerProcess.Result b = ServerProcess.run(NO_ENV, "backup", backup.toString(), "--data", data.toString());
        assertEquals(0, b.exitCode(), b.output());

        // Bad input: exit 2, nothing changed.
        Path missing = data.getParent().resolve("no-such.kek");
        Path shortFile = newKekFile(data, Base64.getEncoder().encodeToString(new byte[8]));
        Path open = newKekFile(data, TestDb.newKek());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-r--"));
        Path same = newKekFile(data, oldKek);
        for (Path bad : List.of(missing, shortFile, open, same)) {
            ServerProcess.Result r = ServerProcess.run(NO_ENV, "keys", "rewrap", "--new-kek-file", bad.toString(),
                    "--data", data.toString());
            assertEquals(2, r.exitCode(), bad + ": " + r.output());
            assertEquals(before, rows(data), bad.toString());
            assertEquals(oldKek, Files.readString(data.resolve("gatehouse.kek")).strip());
        }
        Path next = newKekFile(data, TestDb.newKek());
        ServerProcess.Result wrongCurrent = ServerProcess.run(Map.of("GATEHOUSE_KEK", TestDb.newKek()), "keys", "rewrap",
                "--new-kek-file", next.toString(), "--data", data.toString());
        assertEquals(2, wrongCurrent.exitCode(), wrongCurrent.output());
        assertTrue(wrongCurrent.output().contains("wrong key-encryption key"), wrongCurrent.output());
        assertEquals(before, rows(data));

        String newKek = Files.readString(next).strip();
        String newId = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(newKek));
        ServerProcess.Result done = ServerProcess.run(NO_ENV, "keys", "rewrap", "--new-kek-file", next.toString(),
                "--data", data.toString());
        assertEquals(0, done.exitCode(), done.output());
        assertTrue(done.output().contains("re-encrypted 4 signing key(s) under KEK id " + newId + " (was KEK id " + oldId + ")"),
                done.output());
        assertTrue(done.output().contains("signing key re-encrypted under KEK id " + newId), "audit: " + done.output());
        assertEquals(newKek, Files.readString(data.resolve("gatehouse.kek")).strip(), "the default file holds the new KEK");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("gatehouse.kek"))));
        Path kept = data.resolve("gatehouse.kek.old-" + oldId);
        assertEquals(oldKek, Files.readString(kept).strip(), "the old KEK is kept for older backups");
        assertTrue(done.output().contains("The previous KEK is kept as " + kept), done.output());
        List<StoredKey> after = rows(data);
        assertTrue(after.stream().allMatch(k -> k.kekId().equals(java.util.Optional.of(newId))), after.toString());
        assertEquals(before.stream().map(StoredKey::kid).toList(), after.stream().map(StoredKey::kid).toList());

        try (ServerProcess server = ServerProcess.serve(NO_ENV, "--data", data.toString())) {
            assertEquals(kidsBefore, kids(Http.get(server.base + "/jwks").body()), "the same keys, opened with the new KEK");
        }
        ServerProcess.Result old = serve(Map.of("GATEHOUSE_KEK", oldKek), data);
        assertEquals(2, old.exitCode(), old.output());
        assertTrue(old.output().contains("encrypted under KEK id " + newId + ", but the key-encryption key from GATEHOUSE_KEK "
                + "has KEK id " + oldId), old.output());
        assertTrue(old.output().contains(data.resolve("gatehouse.kek") + " holds KEK id " + newId + ": unset GATEHOUSE_KEK"),
                old.output());

        // A backup from before the rewrap needs the old KEK: the refusal points at the copy kept.
        ServerProcess.Result restored = ServerProcess.run(NO_ENV, "restore", backup.toString(), "--data", data.toString());
        assertEquals(0, restored.exitCode(), restored.output());
        ServerProcess.Result older = serve(NO_ENV, data);
        assertEquals(2, older.exitCode(), older.output());
        assertTrue(older.output().contains("encrypted under KEK id " + oldId + ", but the key-encryption key from "
                + data.resolve("gatehouse.kek") + " has KEK id " + newId + ": wrong key-encryption key; " + kept
                + " holds KEK id " + oldId), older.output());
    }

    @Test
    void rewrapOfAConfiguredKekSaysWhatToConfigureAndTheServerStartsWithTheNewFile() throws Exception {
        Path data = dir();
        String current = TestDb.newKek();
        insert(data, AesGcmKeyProtection.of(Base64.getDecoder().decode(current)));
        Path next = newKekFile(data, TestDb.newKek());
        String newId = AesGcmKeyProtection.fingerprint(Base64.getDecoder().decode(Files.readString(next).strip()));
        ServerProcess.Result done = ServerProcess.run(Map.of("GATEHOUSE_KEK", current), "keys", "rewrap",
                "--new-kek-file", next.toString(), "--data", data.toString());
        assertEquals(0, done.exitCode(), done.output());
        assertTrue(done.output().contains("Now give the new KEK wherever the old one was given (GATEHOUSE_KEK): --kek-file "
                + next), done.output());
        assertFalse(done.output().contains(current), "never the KEK itself");
        assertFalse(Files.exists(data.resolve("gatehouse.kek")), "no default file when a KEK is configured");
        try (ServerProcess server = ServerProcess.serve(Map.of("GATEHOUSE_KEK_FILE", next.toString()), "--data", data.toString())) {
            assertTrue(server.output().contains("encrypted at rest under KEK id " + newId), server.output());
            assertEquals(kids(TestServer.keys()), kids(Http.get(server.base + "/jwks").body()));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    Path dir() {
        Path d = TestDb.tempDir("kek");
        dirs.add(d);
        dirs.add(d.resolveSibling(d.getFileName() + "-files"));
        return d;
    }

    /** A file for a KEK (mode 0600) in a directory beside the data directory (cleaned up with it). */
    static Path newKekFile(Path data, String base64) throws IOException {
        Path dir = Files.createDirectories(data.resolveSibling(data.getFileName() + "-files"));
        Path f = kekFile(Files.createTempFile(dir, "new", ".kek"));
        Files.writeString(f, base64 + "\n");
        return f;
    }

    static Path kekFile(Path f) throws IOException {
        if (!Files.exists(f)) Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    static ServerProcess.Result serve(Map<String, String> env, Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--data", data.toString()));
        args.addAll(List.of(more));
        return ServerProcess.run(env, args.toArray(String[]::new));
    }

    static byte[] random32() {
        return Base64.getDecoder().decode(TestDb.newKek());
    }

    /** The shared test keys, sealed with {@code p}, into the embedded database in {@code data}. */
    static void insert(Path data, KeyProtection p) {
        try (Database db = Database.open(DatabaseSettings.embedded(data), Database.Role.CLI)) {
            JdbcKeyStore store = new JdbcKeyStore(db);
            for (StoredKey k : TestServer.keys()) {
                KeyProtection.Sealed s = p.seal(k.kid(), k.alg(), k.privateKey());
                assertTrue(store.insert(k.withPrivateKey(s.value(), s.kekId())));
            }
        }
    }

    static List<StoredKey> rows(Path data) {
        try (Database db = Database.open(DatabaseSettings.embedded(data), Database.Role.CLI)) {
            return new JdbcKeyStore(db).all();
        }
    }

    static void execute(Path data, String sql, String... args) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gatehouse.db"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            assertEquals(1, ps.executeUpdate());
        }
    }

    static List<JWK> plainJwks() throws Exception {
        List<JWK> out = new ArrayList<>();
        for (StoredKey k : TestServer.keys()) out.add(JWK.parse(k.privateKey()));
        return out;
    }

    static String kids(String jwks) throws Exception {
        return JWKSet.parse(jwks).getKeys().stream().map(JWK::getKeyID).sorted().collect(Collectors.joining(","));
    }

    static String kids(List<StoredKey> keys) {
        return keys.stream().map(StoredKey::kid).sorted().collect(Collectors.joining(","));
    }

    /**
     * Neither the stored values nor the bytes of any database file (gatehouse.db, its WAL and shared-memory index)
     * hold a private member of any of {@code keys}: neither its base64url text (as in a JWK) nor its raw bytes.
     */
    static void assertNoPrivateMaterial(Path data, List<StoredKey> rows, List<JWK> keys) throws IOException {
        assertEquals(List.of(), findings(data, keys));
        for (StoredKey row : rows) {
            for (JWK k : keys) {
                for (String secret : privateMembers(k)) {
                    assertFalse(row.privateKey().contains(secret), "row " + row.kid() + " holds a private member in clear");
                }
            }
        }
    }

    /** "FILE: kid member" for every private member found in clear in a database file. */
    static List<String> findings(Path data, List<JWK> keys) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(data)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("gatehouse.db")).toList();
        }
        assertTrue(files.contains(data.resolve("gatehouse.db")), files.toString());
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (JWK k : keys) {
                for (String secret : privateMembers(k)) {
                    if (text.contains(secret)) found.add(f.getFileName() + ": " + k.getKeyID() + " (base64url)");
                    String raw = new String(Base64.getUrlDecoder().decode(secret), StandardCharsets.ISO_8859_1);
                    if (text.contains(raw)) found.add(f.getFileName() + ": " + k.getKeyID() + " (raw bytes)");
                }
            }
        }
        return found;
    }

    /** The base64url values of a private JWK's private members (d; for RSA also p, q, dp, dq, qi). */
    static List<String> privateMembers(JWK k) {
        Map<String, Object> json = k.toJSONObject();
        List<String> out = new ArrayList<>();
        for (String m : Set.of("d", "p", "q", "dp", "dq", "qi")) {
            if (json.get(m) instanceof String s) out.add(s);
        }
        assertFalse(out.isEmpty(), "not a private key: " + k.getKeyID());
        return out;
    }

    @SuppressWarnings("unused")
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
