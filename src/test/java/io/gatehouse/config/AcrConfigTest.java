package io.gatehouse.config;

import io.gatehouse.core.model.Acr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** acr-password: the acr of a password sign-in, from the default, the config file, or GATEHOUSE_ACR_PASSWORD. */
class AcrConfigTest {
    @TempDir
    Path dir;

    Acr load(String json, Map<String, String> env) throws Exception {
        Path f = dir.resolve("gatehouse.json");
        Files.writeString(f, json);
        return ConfigLoader.load(new ConfigLoader.Flags(null, null, dir, null, null, f, null), env).acr();
    }

    @Test
    void loadWhenNotSetThenTheDefault() throws Exception {
        assertEquals(new Acr("urn:gatehouse:acr:password"), load("{}", Map.of()));
        assertEquals(Acr.DEFAULT, ServerConfig.forTest(dir).acr());
    }

    @Test
    void loadWhenSetInFileThenUsedAndTheEnvironmentWins() throws Exception {
        assertEquals("urn:example:pwd", load("{\"acr-password\": \"urn:example:pwd\"}", Map.of()).password());
        assertEquals("1", load("{\"acr-password\": \"urn:example:pwd\"}", Map.of("GATEHOUSE_ACR_PASSWORD", "1")).password());
    }

    @Test
    void loadWhenNotAnAcrValueThenRefused() {
        for (String bad : new String[]{"", "two words", "caf\u00e9", "x".repeat(256)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> load("{}", Map.of("GATEHOUSE_ACR_PASSWORD", bad)), bad);
            assertTrue(e.getMessage().startsWith("acr-password must be"), e.getMessage());
        }
    }
}
