package io.gatehouse.config;

import java.nio.file.Path;

/**
 * Where the key-encryption key (KEK) that seals the signing keys at rest comes from. Never a command-line flag
 * carrying the KEK itself: a flag would show in {@code ps}.
 */
public sealed interface KekSource {
    /** In words for messages: which setting gave the KEK (never the KEK). */
    String describe();

    /**
     * Nothing configured: the embedded database uses {@code DATA/gatehouse.kek}, generated at the first start;
     * PostgreSQL refuses (every node must be given the same KEK).
     */
    record Default() implements KekSource {
        @Override
        public String describe() {
            return "the data directory's " + KeyEncryption.DEFAULT_FILE;
        }
    }

    /** The base64 KEK itself, from {@code GATEHOUSE_KEK} (or handed in by a test). */
    record Value(String base64) implements KekSource {
        @Override
        public String describe() {
            return "GATEHOUSE_KEK";
        }

        @Override
        public String toString() {
            return "Value[GATEHOUSE_KEK]";
        }
    }

    /**
     * A file holding the base64 KEK (mode 0600 or stricter).
     *
     * @param origin the setting that named it: {@code --kek-file}, {@code GATEHOUSE_KEK_FILE} or config key {@code kek-file}
     */
    record File(Path path, String origin) implements KekSource {
        @Override
        public String describe() {
            return origin + " " + path;
        }
    }

    static KekSource none() {
        return new Default();
    }
}
