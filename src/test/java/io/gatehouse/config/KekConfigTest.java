package io.gatehouse.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Where the key-encryption key comes from: --kek-file, GATEHOUSE_KEK, GATEHOUSE_KEK_FILE, config kek-file. */
class KekConfigTest {
    static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);
    @TempDir
    Path dir;

    KekSource load(String json, Map<String, String> env, Path flag) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null, null, flag), env).keys().kek();
    }

    @Test
    void nothingConfiguredThenTheDefault() throws Exception {
        assertInstanceOf(KekSource.Default.class, load("{}", Map.of(), null));
    }

    @Test
    void flagWinsOverEnvironmentWhichWinsOverTheConfigFile() throws Exception {
        String file = "{\"kek-file\": \"/etc/gatehouse/kek\"}";
        assertEquals(new KekSource.File(Path.of("/etc/gatehouse/kek"), "config kek-file"), load(file, Map.of(), null));
        assertEquals(new KekSource.File(Path.of("/run/kek"), "GATEHOUSE_KEK_FILE"),
                load(file, Map.of("GATEHOUSE_KEK_FILE", "/run/kek"), null));
        assertEquals(new KekSource.Value(KEK), load(file, Map.of("GATEHOUSE_KEK", KEK), null));
        assertEquals(new KekSource.File(Path.of("/flag/kek"), "--kek-file"),
                load(file, Map.of("GATEHOUSE_KEK", KEK), Path.of("/flag/kek")));
    }

    @Test
    void bothEnvironmentVariablesThenRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> load("{}", Map.of("GATEHOUSE_KEK", KEK, "GATEHOUSE_KEK_FILE", "/run/kek"), null));
        assertTrue(e.getMessage().contains("set one of them"), e.getMessage());
    }

    @Test
    void kekValueOfTheWrongLengthOrNotBase64ThenRefusedWithoutShowingIt() {
        for (String bad : new String[]{"", "   ", Base64.getEncoder().encodeToString(new byte[16]),
                Base64.getEncoder().encodeToString(new byte[33]), "s3cret-but-not-base64!"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> load("{}", Map.of("GATEHOUSE_KEK", bad), null), bad);
            assertTrue(e.getMessage().startsWith("GATEHOUSE_KEK "), e.getMessage());
            assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
            if (!bad.isBlank()) assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void kekValueInUrlSafeBase64OrWithSurroundingNewlineIsAccepted() throws Exception {
        byte[] b = new byte[32];
        b[0] = (byte) 0xfb;  // '+' or '-' in base64
        b[1] = (byte) 0xff;
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        assertEquals(new KekSource.Value(urlSafe), load("{}", Map.of("GATEHOUSE_KEK", urlSafe), null));
        String std = Base64.getEncoder().encodeToString(b) + "\n";
        assertEquals(new KekSource.Value(std), load("{}", Map.of("GATEHOUSE_KEK", std), null));
        assertArrayEquals(b, KeyEncryption.decode(urlSafe, "x"));
        assertArrayEquals(b, KeyEncryption.decode(std, "x"));
    }

    @Test
    void emptyFileSettingsThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> load("{}", Map.of("GATEHOUSE_KEK_FILE", ""), null));
        assertThrows(IllegalArgumentException.class, () -> load("{\"kek-file\": \"\"}", Map.of(), null));
    }

    @Test
    void theKekNeverShowsInToString() throws Exception {
        KekSource s = load("{}", Map.of("GATEHOUSE_KEK", KEK), null);
        assertFalse(s.toString().contains(KEK), s.toString());
        ServerConfig c = ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, null, null), Map.of("GATEHOUSE_KEK", KEK));
        assertFalse(c.keys().toString().contains(KEK), c.keys().toString());
    }
}
