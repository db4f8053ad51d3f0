package io.gatehouse;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickFlagsTest {
    static final class Cmd {
        @Option(names = "--host") String host;
        @Option(names = "--port") Integer port;
        @Option(names = "--data") Path data;
        @Option(names = "--demo") Boolean demo;
    }

    @Test
    void bindWhenPlainFlagsThenFieldsSetAsPicocliSetsThem() {
        String[] args = {"--host", "0.0.0.0", "--port=0", "--data", "/var/lib/x", "--demo"};
        Cmd quick = new Cmd();
        assertTrue(QuickFlags.bind(quick, args));
        Cmd picocli = new Cmd();
        new CommandLine(picocli).parseArgs(args);
        for (Cmd c : List.of(quick, picocli)) {
            assertEquals("0.0.0.0", c.host);
            assertEquals(0, c.port);
            assertEquals(Path.of("/var/lib/x"), c.data);
            assertEquals(Boolean.TRUE, c.demo);
        }
    }

    @Test
    void bindWhenValueHoldsEqualsSignThenWholeValue() {
        Cmd c = new Cmd();
        assertTrue(QuickFlags.bind(c, new String[]{"--host=a=b", "--port", "65535"}));
        assertEquals("a=b", c.host);
        assertEquals(65535, c.port);
    }

    @Test
    void bindWhenNoFlagsThenTrueAndNothingSet() {
        Cmd c = new Cmd();
        assertTrue(QuickFlags.bind(c, new String[0]));
        assertNull(c.host);
    }

    @Test
    void bindWhenAnythingUnusualThenFalseAndNothingSetSoPicocliDecides() {
        List<String[]> lines = List.of(
                new String[]{"--help"}, new String[]{"-h"}, new String[]{"--version"}, new String[]{"-V"},
                new String[]{"--host", "h", "--nope", "1"},       // unknown flag
                new String[]{"--host", "a", "--host", "b"},       // named twice: picocli refuses that
                new String[]{"--host", "a", "--port"},            // value missing
                new String[]{"--host", "a", "--port", "x"},       // not a number
                new String[]{"--host", "a", "--port", "010"},     // picocli's reading may differ
                new String[]{"--host", "a", "--port", "99999999999"},
                new String[]{"--host", "-a"},                     // looks like an option
                new String[]{"--host", ""},
                new String[]{"--demo=true"},
                new String[]{"--host", "a", "positional"});
        for (String[] args : lines) {
            Cmd c = new Cmd();
            assertFalse(QuickFlags.bind(c, args), String.join(" ", args));
            assertNull(c.host, String.join(" ", args));
            assertNull(c.port, String.join(" ", args));
        }
    }

    /** Every flag of `serve` is of a type the quick path binds, so a plain start never pays for picocli. */
    @Test
    void serveOptionsAreAllOfBindableTypes() {
        int options = 0;
        for (Field f : Main.Serve.class.getDeclaredFields()) {
            if (f.getAnnotation(Option.class) == null) continue;
            options++;
            assertTrue(Set.of(String.class, Integer.class, Path.class, Boolean.class).contains(f.getType()), f.toString());
        }
        assertTrue(options >= 10, "options found: " + options);
        assertTrue(QuickFlags.bind(new Main.Serve(), new String[]{"--port", "0", "--management-port", "0", "--data", "d",
                "--allow-insecure-permissions", "--db-url=jdbc:postgresql://h/db?user=u", "--kek-file", "k"}));
    }
}
