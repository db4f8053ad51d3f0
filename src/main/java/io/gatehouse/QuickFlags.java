package io.gatehouse;

import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code serve}'s flags without picocli when they are plain: {@code --name value}, {@code --name=value}, or a bare
 * {@code --name} for a {@code Boolean} option, each named once, values that picocli would read the same way. The names
 * and types come from the command's own {@link Option} annotations, so there is one list of flags; anything else (help,
 * version, an unknown or repeated flag, a missing or odd value) returns false and picocli parses the whole line as
 * before, with its messages.
 *
 * <p>Why: picocli's jar is compiled for Java 5, whose classes the JDK's start-up cache cannot hold; building its model of
 * the command loads and verifies ~170 of them with the old verifier, which took ~250 ms of a ~1 s start
 * (docs/operations.md, "Start-up").
 */
final class QuickFlags {
    private QuickFlags() {
    }

    /** Sets {@code command}'s option fields from {@code args}; false (nothing set) when picocli must parse them. */
    static boolean bind(Object command, String[] args) {
        Map<String, Field> byName = new HashMap<>();
        for (Field f : command.getClass().getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o == null) continue;
            for (String name : o.names()) byName.put(name, f);
        }
        Map<Field, Object> values = new HashMap<>();
        Set<Field> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i], name = arg, value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Field f = byName.get(name);
            if (f == null || !seen.add(f)) return false;
            if (f.getType() == Boolean.class) {
                if (value != null) return false;
                values.put(f, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 == args.length) return false;
                value = args[++i];
            }
            Object converted = convert(f.getType(), value);
            if (converted == null) return false;
            values.put(f, converted);
        }
        try {
            for (Map.Entry<Field, Object> e : values.entrySet()) {
                e.getKey().setAccessible(true);
                e.getKey().set(command, e.getValue());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
        return true;
    }

    /** The value as picocli would convert it, or null when picocli should decide (it may also refuse it). */
    private static Object convert(Class<?> type, String value) {
        if (value.isEmpty() || value.startsWith("-")) return null;  // picocli may read these as options
        if (type == String.class) return value;
        if (type == Path.class) return value.indexOf('\0') < 0 ? Path.of(value) : null;
        if (type == Integer.class && value.matches("[1-9][0-9]{0,8}|0")) return Integer.valueOf(value);
        return null;
    }
}
