package io.gatehouse.admin;

import io.gatehouse.AuditLogger;
import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.keys.KeyImport;
import io.gatehouse.core.token.keys.AesGcmKeyProtection;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.core.token.keys.KeysAtRest;
import io.gatehouse.core.token.keys.KeyRing;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.store.jdbc.DataDirectory;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * `gatehouse keys list|rotate|retire|remove|import|rewrap`: the signing-key lifecycle, against the same database as the
 * server. Running servers see a change within one key refresh interval (at most the JWKS max-age), with no restart.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage signing keys (rotation, retirement, import, re-encryption under a new key-encryption key).",
        subcommands = {KeyCommands.ListCmd.class, KeyCommands.Rotate.class, KeyCommands.Retire.class, KeyCommands.Remove.class,
                KeyCommands.Import.class, KeyCommands.Rewrap.class})
public final class KeyCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The audit log of a CLI command: lines in the log, and events in the database the command works on. */
    static AuditLogger audit(Database d, Clock clock) {
        return AuditLogger.toLogAndStore(clock, new io.gatehouse.store.jdbc.JdbcAuditEventStore(d));
    }

    /** Who the audit log names for changes made here. */
    static String actor() {
        return "cli (user " + System.getProperty("user.name", "?") + ", pid " + ProcessHandle.current().pid() + ")";
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        DbOptions db;

        Integer with(Function<KeyRotation, Integer> action) {
            ServerConfig cfg;
            try {
                cfg = db.config();
            } catch (IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
            try (Database d = db.open()) {
                Clock clock = Clock.systemUTC();
                JdbcKeyStore store = new JdbcKeyStore(d);
                JdbcClientRepository clients = new JdbcClientRepository(d);
                // Resolved only when a key is created: listing, retiring and removing need no KEK.
                KeyProtection protection = KeyEncryption.onFirstUse(() -> KeyEncryption.resolve(cfg, store).protection());
                SigningKeys keys = new SigningKeys(store, protection, clock);
                KeyRotation rotation = new KeyRotation(store, keys, cfg.keys().policy(), () -> KeyRotation.longestTokenLifetime(clients),
                        audit(d, clock), clock, List.of(SigningAlg.values()));
                return action.apply(rotation);
            } catch (KeyRotation.Refused | IllegalArgumentException | KeyEncryption.Refused | KeyProtection.Failure
                     | DataDirectory.Refused e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Every key: kid, alg, state (next, active, retired), created, activated, retired, remove-after,",
                    "and the id of the key-encryption key it is encrypted under."})
    static final class ListCmd extends Base {
        @Override
        public Integer call() {
            return with(r -> {
                System.out.println(String.join("\t", "KID", "ALG", "STATE", "CREATED", "ACTIVATED", "RETIRED", "REMOVE-AFTER",
                        "KEK-ID"));
                for (StoredKey k : r.list()) {
                    System.out.println(String.join("\t", k.kid(), k.alg().name(), k.state().name().toLowerCase(java.util.Locale.ROOT),
                            k.createdAt().toString(), time(k.activatedAt()), time(k.retiredAt()),
                            k.state() == io.gatehouse.core.port.KeyStore.State.NEXT
                                    ? "(signs from " + KeyRing.promotableAt(k, r.policy()) + ")" : time(k.removeAfter()),
                            k.kekId().orElse("(not encrypted)")));
                }
                return 0;
            });
        }

        private static String time(Optional<Instant> t) {
            return t.map(Instant::toString).orElse("-");
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Create a next key (published at once; it signs once published for the JWKS max-age plus",
                    "one refresh interval, and the active key is then retired)."})
    static final class Rotate extends Base {
        @Option(names = "--alg", paramLabel = "ALG", description = "RS256, ES256, PS256 or EdDSA (default: every algorithm).")
        String alg;

        @Override
        public Integer call() {
            List<SigningAlg> algs;
            if (alg == null) {
                algs = List.of(SigningAlg.values());
            } else {
                Optional<SigningAlg> a = SigningAlg.fromName(alg);
                if (a.isEmpty()) {
                    System.err.println("gatehouse: unknown algorithm '" + clean(alg) + "' (use one of "
                            + Arrays.toString(SigningAlg.values()) + ")");
                    return 2;
                }
                algs = List.of(a.get());
            }
            return with(r -> {
                for (SigningAlg a : algs) {
                    StoredKey k = r.rotate(a, actor());
                    System.out.println("created next " + a + " key " + k.kid() + "; it signs from "
                            + KeyRing.promotableAt(k, r.policy()));
                }
                return 0;
            });
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = {"Stop a key from signing; it stays published until nothing it signed is valid.",
                    "An active key hands over to its algorithm's next key once that is published long enough."})
    static final class Retire extends Base {
        @Parameters(index = "0", paramLabel = "KID")
        String kid;
        @Option(names = "--force", description = "Switch now even if the next key is not published long enough, "
                + "or make a new key when there is none (a compromised key).")
        boolean force;

        @Override
        public Integer call() {
            return with(r -> {
                System.out.println(r.retire(kid, force, actor()));
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete a key from the JWKS; refused for the active key, and while tokens it signed may be valid.")
    static final class Remove extends Base {
        @Parameters(index = "0", paramLabel = "KID")
        String kid;
        @Option(names = "--force", description = "Remove a retired key even though tokens it signed may still be valid.")
        boolean force;

        @Override
        public Integer call() {
            return with(r -> {
                System.out.println(r.remove(kid, force, actor()));
                return 0;
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import a private signing key, keeping its kid, so that tokens it signed",
                    "elsewhere verify against this server's JWKS.",
                    "FILE: PEM (PKCS#8, PKCS#1 or SEC1 private key, optionally followed by its",
                    "certificate chain, leaf first), a JWK with its private members, or PKCS#12.",
                    "Keys: RSA of at least 2048 bits, EC P-256 or Ed25519. A key without a",
                    "certificate gets a self-signed one. See docs/keys.md."})
    static final class Import extends Base {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--alg", paramLabel = "ALG",
                description = "RS256, ES256, PS256 or EdDSA (default: from the key: RSA RS256, P-256 ES256, Ed25519 EdDSA).")
        String alg;
        @Option(names = "--kid", paramLabel = "KID",
                description = "The kid to publish (default: the JWK's own kid, else the RFC 7638 thumbprint).")
        String kid;
        @Option(names = "--state", paramLabel = "next|active|retired", defaultValue = "next",
                description = {"next (default): published now, signs once published for the JWKS max-age plus one",
                        "refresh interval; active: signs now, the active key of its algorithm retires; retired: only",
                        "verifies (old tokens), removed once the longest token lifetime has passed."})
        String state;
        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File holding the password of a PKCS#12 file or an encrypted PEM key (one trailing newline is ignored).")
        Path passwordFile;

        @Override
        public Integer call() {
            KeyImport.Imported key;
            State target;
            try {
                Optional<SigningAlg> a = Optional.empty();
                if (alg != null) {
                    a = Optional.of(SigningAlg.fromName(alg).orElseThrow(() -> new KeyImport.Invalid("unknown algorithm '"
                            + clean(alg) + "' (use one of " + Arrays.toString(SigningAlg.values()) + ")")));
                }
                target = switch (state.toLowerCase(java.util.Locale.ROOT)) {
                    case "next" -> State.NEXT;
                    case "active" -> State.ACTIVE;
                    case "retired" -> State.RETIRED;
                    default -> throw new KeyImport.Invalid("--state must be next, active or retired");
                };
                byte[] bytes = read(file, "the key file");
                Optional<char[]> password = passwordFile == null ? Optional.empty() : Optional.of(password(passwordFile));
                try {
                    key = KeyImport.read(bytes, password, a, Optional.ofNullable(kid), Instant.now());
                } finally {
                    password.ifPresent(p -> Arrays.fill(p, '\0'));
                    Arrays.fill(bytes, (byte) 0);
                }
            } catch (KeyImport.Invalid e) {
                System.err.println("gatehouse: cannot import " + file + ": " + e.getMessage());
                return 2;
            }
            for (String w : key.warnings()) System.err.println("gatehouse: warning: " + w);
            return with(r -> {
                System.out.println(r.importKey(key, target, actor()));
                return 0;
            });
        }

        private static byte[] read(Path f, String what) {
            try {
                if (Files.isDirectory(f)) throw new KeyImport.Invalid(what + " " + f + " is a directory");
                if (Files.size(f) > 1_000_000) throw new KeyImport.Invalid(what + " " + f + " is larger than 1 MB");
                return Files.readAllBytes(f);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new KeyImport.Invalid(what + " " + f + " does not exist");
            } catch (java.io.IOException e) {
                throw new KeyImport.Invalid("cannot read " + what + " " + f + ": " + e.getClass().getSimpleName());
            }
        }

        /** The file's text without one trailing newline (CRLF or LF). */
        private static char[] password(Path f) {
            String s = new String(read(f, "the password file"), StandardCharsets.UTF_8);
            if (s.endsWith("\r\n")) s = s.substring(0, s.length() - 2);
            else if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
            return s.toCharArray();
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = {"Re-encrypt every signing key under a new key-encryption key (KEK), in one transaction.",
                    "The current KEK comes from the usual places (GATEHOUSE_KEK, --kek-file, DATA/gatehouse.kek).",
                    "Refused while a server runs on the embedded database; on PostgreSQL, stop every node first.",
                    "When the current KEK is the generated DATA/gatehouse.kek, that file is replaced by the new KEK",
                    "(the old one is kept as DATA/gatehouse.kek.old-<KEK id>); otherwise configure the new KEK next."})
    static final class Rewrap implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = "--new-kek-file", required = true, paramLabel = "FILE",
                description = "File holding the new KEK: the base64 of 32 random bytes (`openssl rand -base64 32`), mode 0600.")
        Path newKekFile;

        @Override
        public Integer call() {
            try {
                ServerConfig cfg = db.config();
                byte[] next = KeyEncryption.readFile(newKekFile, newKekFile.toString(), cfg.database().allowInsecurePermissions());
                AesGcmKeyProtection nextProtection = AesGcmKeyProtection.of(next);
                try (Database d = db.openExclusive()) {
                    JdbcKeyStore store = new JdbcKeyStore(d);
                    KeyEncryption.Resolved current = KeyEncryption.resolve(cfg, store, false);
                    String newId = nextProtection.kekId().orElseThrow();
                    if (current.protection().kekId().equals(Optional.of(newId))) {
                        System.err.println("gatehouse: " + newKekFile + " holds the key-encryption key in use already (KEK id "
                                + newId + "); nothing was changed");
                        return 2;
                    }
                    // Written (and synced) before the keys change, so that what is left after the commit is one rename.
                    Optional<Path> staged = current.defaultFile().map(f -> KeyEncryption.stage(f, next));
                    List<StoredKey> rewrapped;
                    try {
                        rewrapped = KeysAtRest.rewrap(store, current.protection(), nextProtection,
                                audit(d, Clock.systemUTC()), actor());
                    } catch (RuntimeException e) {
                        staged.ifPresent(KeyEncryption::deleteQuietly);
                        throw e;
                    }
                    // The file first (one rename, right after the commit), then the slower rebuild of the database file.
                    String fileProblem = null;
                    Optional<Path> kept = Optional.empty();
                    if (staged.isPresent()) {
                        try {
                            kept = KeyEncryption.install(current.defaultFile().get(), staged.get(), current.protection().kekId());
                        } catch (IOException | RuntimeException e) {
                            KeyEncryption.deleteQuietly(staged.get());
                            fileProblem = e.getClass().getSimpleName();
                        }
                    }
                    d.rewriteFile();  // no value sealed under the old KEK left in free space or the log
                    String was = current.protection().kekId().map(id -> "KEK id " + id).orElse("not encrypted");
                    System.out.println("re-encrypted " + rewrapped.size() + " signing key(s) under KEK id " + newId
                            + " (was " + was + ")" + (d.vendor() == Database.Vendor.POSTGRESQL ? " in the PostgreSQL database" : ""));
                    if (fileProblem != null) {
                        Path file = current.defaultFile().get();
                        System.err.println("gatehouse: the keys are encrypted under the new KEK (id " + newId + "), but "
                                + file + " could not be replaced (" + fileProblem + "): copy " + newKekFile + " to " + file
                                + " (mode 0600) before starting the server");
                        return 1;
                    }
                    if (staged.isPresent()) {
                        System.out.println(current.defaultFile().get() + " now holds the new KEK (id " + newId
                                + "); you may delete " + newKekFile + ".");
                        kept.ifPresent(k -> System.out.println("The previous KEK is kept as " + k + ": backups taken "
                                + "before now need it. Move it to where you keep those backups' keys, or delete it."));
                    } else {
                        System.out.println("Now give the new KEK wherever the old one was given (" + current.origin()
                                + "): --kek-file " + newKekFile + " or GATEHOUSE_KEK_FILE=" + newKekFile
                                + " (or its content in GATEHOUSE_KEK), on every node, before starting them. The old KEK"
                                + " opens only backups taken before now: keep it as long as you keep those.");
                    }
                    return 0;
                } finally {
                    java.util.Arrays.fill(next, (byte) 0);
                }
            } catch (IllegalArgumentException | KeyEncryption.Refused | KeyProtection.Failure | KeysAtRest.Refused
                     | DataDirectory.Refused e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
        }
    }

    private static String clean(String s) {
        String c = s.replaceAll("[^\\x20-\\x7e]", "?");
        return c.length() > 40 ? c.substring(0, 40) + "..." : c;
    }
}
