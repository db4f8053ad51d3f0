package io.gatehouse.config;

import io.gatehouse.core.port.KeyStore;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.core.token.keys.KeyProtection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The key-encryption key (KEK) from the configuration, as the server and the CLI use it: one place that resolves
 * {@link KekSource} to a {@link KeyProtection} and checks it against the stored keys before anything is written.
 *
 * <ul>
 *   <li>{@code GATEHOUSE_KEK} (the base64 of 32 bytes) or a KEK file ({@code --kek-file}, {@code GATEHOUSE_KEK_FILE},
 *   config {@code kek-file}; mode 0600 or stricter) when configured;</li>
 *   <li>otherwise, on the embedded database, {@code DATA/gatehouse.kek}: generated (0600) when missing, but never
 *   while the database holds encrypted keys (then its absence is an error);</li>
 *   <li>otherwise (PostgreSQL, several nodes that must share one KEK) a refusal.</li>
 * </ul>
 * A KEK whose id differs from the one the stored keys were sealed under is refused. Messages name files, settings and
 * KEK ids, never key material.
 */
public final class KeyEncryption {
    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
    /** The generated KEK file in the data directory of the embedded database. */
    public static final String DEFAULT_FILE = "gatehouse.kek";
    /** The previous KEK, kept by {@code keys rewrap} beside the new one: {@code gatehouse.kek.old-<KEK id>}. */
    public static final String OLD_PREFIX = DEFAULT_FILE + ".old-";
    private static final int MAX_FILE_BYTES = 1024;
    private static final String HOW_TO_MAKE = "the base64 of 32 random bytes, e.g. from `openssl rand -base64 32`";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Refused (exit code 2): the message says what is wrong and what to do; nothing was changed. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * The KEK in use.
     *
     * @param protection  seals and opens under it (plain only for {@code keys rewrap} before any KEK exists)
     * @param origin      where it came from, in words
     * @param defaultFile {@code DATA/gatehouse.kek} when that file is (or is to be) the KEK: nothing configured, embedded
     */
    public record Resolved(KeyProtection protection, String origin, Optional<Path> defaultFile) {
    }

    private KeyEncryption() {
    }

    /**
     * The KEK for {@code cfg}, checked against the stored keys: the start of {@code serve} and every CLI command
     * that creates or opens keys. On the embedded database with nothing configured it generates
     * {@code DATA/gatehouse.kek} when the file is missing and no stored key is encrypted.
     *
     * @throws Refused when there is no usable KEK, or it is not the one the stored keys were sealed under
     */
    public static Resolved resolve(ServerConfig cfg, KeyStore store) {
        return resolve(cfg, store, true);
    }

    /**
     * Like {@link #resolve(ServerConfig, KeyStore)}; with {@code mayGenerate} false, a missing default file (and no
     * encrypted key) gives plain protection instead of a new file ({@code keys rewrap} writes the file itself).
     */
    public static Resolved resolve(ServerConfig cfg, KeyStore store, boolean mayGenerate) {
        boolean insecureOk = cfg.database().allowInsecurePermissions();
        Set<String> wanted = new TreeSet<>();
        for (StoredKey k : store.all()) k.kekId().ifPresent(wanted::add);
        Path dataDir = cfg.database().dataDir().toAbsolutePath().normalize();
        Path defaultFile = dataDir.resolve(DEFAULT_FILE);
        boolean embedded = cfg.database().url().isEmpty();
        return switch (cfg.keys().kek()) {
            case KekSource.Value v -> checked(decode(v.base64(), "GATEHOUSE_KEK"), v.describe(), Optional.empty(),
                    wanted, embedded ? Optional.of(dataDir) : Optional.empty());
            case KekSource.File f -> checked(readFile(f.path(), f.describe(), insecureOk), f.describe(), Optional.empty(),
                    wanted, embedded ? Optional.of(dataDir) : Optional.empty());
            case KekSource.Default d -> {
                if (!embedded) throw new Refused(noKekOnPostgres(wanted, store));
                if (Files.exists(defaultFile, LinkOption.NOFOLLOW_LINKS)) {
                    yield checked(readFile(defaultFile, defaultFile.toString(), insecureOk), defaultFile.toString(),
                            Optional.of(defaultFile), wanted, Optional.of(dataDir));
                }
                if (!wanted.isEmpty()) {
                    throw new Refused("the database holds encrypted signing keys (KEK id " + String.join(", ", wanted)
                            + ") but no key-encryption key was found: " + defaultFile + " is missing and GATEHOUSE_KEK / "
                            + "--kek-file are not set. Put the KEK file back (it is not part of database backups), or "
                            + "give it with GATEHOUSE_KEK_FILE / --kek-file" + oldCopyHint(dataDir, wanted)
                            + ". No new key was generated and nothing was changed");
                }
                if (!mayGenerate) yield new Resolved(KeyProtection.plaintext(), "none", Optional.of(defaultFile));
                byte[] kek = generate(defaultFile);
                try {
                    yield checked(kek, defaultFile.toString(), Optional.of(defaultFile), wanted, Optional.of(dataDir));
                } finally {
                    Arrays.fill(kek, (byte) 0);
                }
            }
        };
    }

    /**
     * A protection that resolves the KEK when first used: for CLI commands that may not need one (listing keys,
     * retiring one), so that they work without a KEK on PostgreSQL and never generate one.
     */
    public static KeyProtection onFirstUse(Supplier<KeyProtection> resolve) {
        return new KeyProtection() {
            private KeyProtection resolved;

            private synchronized KeyProtection get() {
                if (resolved == null) resolved = resolve.get();
                return resolved;
            }

            @Override
            public Sealed seal(String kid, io.gatehouse.core.model.SigningAlg alg, String privateJwk) {
                return get().seal(kid, alg, privateJwk);
            }

            @Override
            public String open(StoredKey key) {
                return get().open(key);
            }

            @Override
            public Optional<String> kekId() {
                return get().kekId();
            }
        };
    }

    private static Resolved checked(byte[] kek, String origin, Optional<Path> defaultFile, Set<String> wanted,
                                    Optional<Path> dataDir) {
        AesGcmKeyProtection p = AesGcmKeyProtection.of(kek);
        Arrays.fill(kek, (byte) 0);
        String id = p.kekId().orElseThrow();
        if (!wanted.isEmpty() && !wanted.equals(Set.of(id))) {
            String hint = "";
            if (dataDir.isPresent() && defaultFile.isEmpty()) {
                Path dflt = dataDir.get().resolve(DEFAULT_FILE);
                Optional<String> dfltId = idOf(dflt);
                if (dfltId.isPresent() && wanted.contains(dfltId.get())) {
                    hint = "; " + dflt + " holds KEK id " + dfltId.get() + ": unset GATEHOUSE_KEK / GATEHOUSE_KEK_FILE "
                            + "/ --kek-file / kek-file to use it";
                }
            }
            if (hint.isEmpty() && dataDir.isPresent()) hint = oldCopyHint(dataDir.get(), wanted);
            if (wanted.contains(id)) {  // e.g. a node that ran on through `keys rewrap` made a key under the old KEK
                throw new Refused("the database holds signing keys encrypted under several KEKs (KEK ids "
                        + String.join(", ", wanted) + "); the key-encryption key from " + origin + " has KEK id " + id
                        + " and opens only some of them" + hint + " (a node left running through `keys rewrap` makes keys under "
                        + "the old KEK). Take out the keys it does not open (`gatehouse keys list` shows each key's KEK id; "
                        + "`gatehouse keys remove KID --force`), or restore a backup; nothing was changed");
            }
            throw new Refused("the database holds signing keys encrypted under KEK id " + String.join(", ", wanted)
                    + ", but the key-encryption key from " + origin + " has KEK id " + id + ": wrong key-encryption key"
                    + hint + ". Start with the KEK the keys were encrypted under (after an interrupted `keys rewrap`: the "
                    + "new KEK file given to it); nothing was changed");
        }
        return new Resolved(p, origin, defaultFile);
    }

    /**
     * "; DATA/gatehouse.kek.old-ID holds KEK id ID" when a file beside the default one holds a wanted KEK: a copy kept
     * by {@code keys rewrap}, or the new KEK a rewrap had staged when it was interrupted.
     */
    private static String oldCopyHint(Path dataDir, Set<String> wanted) {
        try (var files = Files.list(dataDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(DEFAULT_FILE + ".")).sorted().toList()) {
                Optional<String> id = idOf(p);
                if (id.isPresent() && wanted.contains(id.get())) return "; " + p + " holds KEK id " + id.get();
            }
        } catch (IOException | SecurityException e) {
            // no hint
        }
        return "";
    }

    private static Optional<String> idOf(Path kekFile) {
        try {
            if (!Files.isRegularFile(kekFile)) return Optional.empty();
            byte[] kek = decode(read(kekFile, kekFile.toString()), kekFile.toString());
            try {
                return Optional.of(AesGcmKeyProtection.fingerprint(kek));
            } finally {
                Arrays.fill(kek, (byte) 0);
            }
        } catch (Refused e) {
            return Optional.empty();
        }
    }

    private static String noKekOnPostgres(Set<String> wanted, KeyStore store) {
        String keys = !wanted.isEmpty() ? " The stored signing keys are encrypted under KEK id " + String.join(", ", wanted) + "."
                : store.all().isEmpty() ? "" : " The first node started with it encrypts the stored signing keys.";
        return "the database is PostgreSQL and no key-encryption key is configured: set GATEHOUSE_KEK (" + HOW_TO_MAKE
                + "), or GATEHOUSE_KEK_FILE / --kek-file / config kek-file naming a file (mode 0600) that holds it; "
                + "every node needs the same one." + keys;
    }

    /**
     * A KEK file's 32 bytes: the file must exist, hold the base64 of 32 bytes, and not be accessible to group or
     * others (unless {@code allowInsecurePermissions}, with a warning).
     *
     * @param what the file as messages name it (the setting that gave it, or the path)
     */
    public static byte[] readFile(Path file, String what, boolean allowInsecurePermissions) {
        if (!Files.exists(file)) throw new Refused("key-encryption key file " + what + " does not exist");
        if (!Files.isRegularFile(file)) throw new Refused("key-encryption key file " + what + " is not a regular file");
        Optional<String> mode = exposedMode(file);
        if (mode.isPresent()) {
            if (!allowInsecurePermissions) {
                throw new Refused("other users can access key-encryption key file " + what + " (mode " + mode.get()
                        + "): run `chmod 600 " + file + "`, or start with --allow-insecure-permissions to accept this");
            }
            LOG.warn("other users can access key-encryption key file {} (mode {}; --allow-insecure-permissions given)",
                    what, mode.get());
        }
        return decode(read(file, what), "key-encryption key file " + what);
    }

    private static String read(Path file, String what) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new Refused("key-encryption key file " + what + " is too large to hold a KEK (" + HOW_TO_MAKE + ")");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new Refused("cannot read key-encryption key file " + what + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The 32 bytes of a base64 KEK (standard or URL-safe alphabet, surrounding white space ignored).
     *
     * @throws Refused naming {@code what} when it is not base64 or not 32 bytes; never showing the value
     */
    public static byte[] decode(String base64, String what) {
        String s = base64 == null ? "" : base64.strip();
        byte[] kek;
        try {
            kek = (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new Refused(what + " is not valid base64: a key-encryption key is " + HOW_TO_MAKE);
        }
        if (kek.length != AesGcmKeyProtection.KEK_BYTES) {
            Arrays.fill(kek, (byte) 0);
            throw new Refused(what + " holds " + kek.length + " bytes, not " + AesGcmKeyProtection.KEK_BYTES
                    + ": a key-encryption key is " + HOW_TO_MAKE);
        }
        return kek;
    }

    /** The mode ("0644") when group or others have any permission on {@code file}; empty on non-POSIX file systems. */
    public static Optional<String> exposedMode(Path file) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view == null) return Optional.empty();
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            if (perms.stream().noneMatch(OTHERS::contains)) return Optional.empty();
            int m = 0;
            for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
            return Optional.of(String.format("%04o", m));
        } catch (IOException e) {
            return Optional.of("unreadable");
        }
    }

    /**
     * Creates {@code file} (0600) holding a new random KEK, durably (file and directory synced) before any key is
     * sealed under it. When another process creates it at the same moment, both use the one that won.
     *
     * @return the KEK the file holds
     */
    static byte[] generate(Path file) {
        byte[] kek = new byte[AesGcmKeyProtection.KEK_BYTES];
        new SecureRandom().nextBytes(kek);
        String id = AesGcmKeyProtection.fingerprint(kek);
        Path staged;
        try {
            staged = stage(file, kek);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
        try {
            try {
                Files.createLink(file, staged);  // atomic: fails when the file exists (made by another process meanwhile)
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                Files.move(staged, file);  // no hard links here: refused when the file exists, else renamed
            }
            sync(file.getParent());
            LOG.info("generated a key-encryption key in {} (KEK id {}): the signing keys in the database are encrypted "
                    + "with it. Keep a copy of it apart from the database backups: a backup's keys cannot be opened "
                    + "without it (see docs/storage.md)", file, id);
        } catch (FileAlreadyExistsException e) {
            LOG.debug("{} was created by another process meanwhile; using it", file);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new Refused("cannot create key-encryption key file " + file + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            deleteQuietly(staged);
        }
        return readFile(file, file.toString(), false);
    }

    /**
     * Writes {@code kek} as base64 to a new file beside {@code file} (0600, synced): the first step of generating or
     * replacing a KEK file. @return the staged file
     */
    public static Path stage(Path file, byte[] kek) {
        Path staged = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(new SecureRandom().nextLong(), 36));
        byte[] content = (Base64.getEncoder().encodeToString(kek) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(staged, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
            ch.write(ByteBuffer.wrap(content));
            ch.force(true);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            deleteQuietly(staged);
            throw new Refused("cannot write key-encryption key file " + staged + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        return staged;
    }

    /**
     * Replaces {@code file} with {@code staged} in one rename, keeping the replaced KEK as
     * {@code gatehouse.kek.old-<oldKekId>} beside it (a hard link to it, made first). @return the kept copy, if any
     */
    public static Optional<Path> install(Path file, Path staged, Optional<String> oldKekId) throws IOException {
        Optional<Path> kept = Optional.empty();
        if (Files.exists(file) && oldKekId.isPresent()) {
            Path old = file.resolveSibling(OLD_PREFIX + oldKekId.get());
            try {
                Files.createLink(old, file);
            } catch (FileAlreadyExistsException e) {
                // kept by an earlier rewrap from the same KEK
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                if (!Files.exists(old)) Files.copy(file, old, StandardCopyOption.COPY_ATTRIBUTES);  // no hard links here
            }
            kept = Optional.of(old);
        }
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(file.getParent());
        return kept;
    }

    private static void sync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
