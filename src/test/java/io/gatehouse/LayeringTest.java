package io.gatehouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Calls flow http -> core -> store: the core imports no web, JDBC, store or JSON classes. */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/io/gatehouse");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void coreImportsNoHttpJdbcStoreOrJsonClasses() throws IOException {
        List<String> forbidden = List.of("io.gatehouse.http", "io.gatehouse.store", "io.gatehouse.admin",
                "io.gatehouse.config", "io.gatehouse.Gatehouse", "io.gatehouse.Main", "java.sql", "javax.sql",
                "com.fasterxml.jackson", "io.helidon", "com.zaxxer", "org.flywaydb", "org.sqlite", "org.postgresql",
                "picocli", "java.net.http", "com.google.gson");
        assertEquals(List.of(), violations(MAIN.resolve("core"), forbidden));
    }

    @Test
    void storeImplementsPortsAndNeverCallsCoreServices() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : javaFiles(MAIN.resolve("store"))) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imp = m.group(2);
                boolean allowed = imp.startsWith("io.gatehouse.core.model") || imp.startsWith("io.gatehouse.core.port")
                        || imp.startsWith("io.gatehouse.core.error") || !imp.startsWith("io.gatehouse.");
                if (imp.startsWith("io.gatehouse.http") || imp.startsWith("io.gatehouse.store")) allowed = imp.startsWith("io.gatehouse.store");
                if (!allowed) bad.add(MAIN.relativize(f) + " imports " + imp);
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void onlyTheServerAdapterKnowsTheWebLibrary() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : javaFiles(MAIN)) {
            // the server adapter: the listener and request handling, and the connection guard's socket side
            if (f.endsWith("http/HttpServer.java") || f.endsWith("http/HttpConnections.java")) continue;
            if (java.util.regex.Pattern.compile("^import (static )?io\\.helidon", java.util.regex.Pattern.MULTILINE)
                    .matcher(Files.readString(f)).find()) {
                bad.add(MAIN.relativize(f).toString());
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void theCheckFindsSomethingToCheck() throws IOException {
        assertFalse(javaFiles(MAIN.resolve("core")).isEmpty());
    }

    private static List<String> violations(Path dir, List<String> forbidden) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : javaFiles(dir)) {
            String src = Files.readString(f);
            Matcher m = IMPORT.matcher(src);
            while (m.find()) {
                for (String p : forbidden) {
                    if (m.group(2).startsWith(p)) out.add(MAIN.relativize(f) + " imports " + m.group(2));
                }
            }
            for (String p : forbidden) {
                if (src.replaceAll("(?m)^import .*$", "").contains(p + ".")) out.add(MAIN.relativize(f) + " names " + p);
            }
        }
        return out;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
