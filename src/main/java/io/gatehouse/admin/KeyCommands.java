package io.gatehouse.admin;

import io.gatehouse.AuditLogger;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.core.token.keys.KeyRing;
import io.gatehouse.core.token.keys.KeyRotation;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * `gatehouse keys list|rotate|retire|remove`: the signing-key lifecycle, against the same database as the server.
 * Running servers see a change within one key refresh interval (at most the JWKS max-age), with no restart.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage signing keys (rotation, retirement).",
        subcommands = {KeyCommands.ListCmd.class, KeyCommands.Rotate.class, KeyCommands.Retire.class, KeyCommands.Remove.class})
public final class KeyCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
                SigningKeys keys = new SigningKeys(store, KeyProtection.plaintext(), clock);
                KeyRotation rotation = new KeyRotation(store, keys, cfg.keys().policy(), () -> KeyRotation.longestTokenLifetime(clients),
                        AuditLogger.toLog(clock), clock, List.of(SigningAlg.values()));
                return action.apply(rotation);
            } catch (KeyRotation.Refused | IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every key: kid, alg, state (next, active, retired), created, activated, retired, remove-after.")
    static final class ListCmd extends Base {
        @Override
        public Integer call() {
            return with(r -> {
                System.out.println(String.join("\t", "KID", "ALG", "STATE", "CREATED", "ACTIVATED", "RETIRED", "REMOVE-AFTER"));
                for (StoredKey k : r.list()) {
                    System.out.println(String.join("\t", k.kid(), k.alg().name(), k.state().name().toLowerCase(java.util.Locale.ROOT),
                            k.createdAt().toString(), time(k.activatedAt()), time(k.retiredAt()),
                            k.state() == io.gatehouse.core.port.KeyStore.State.NEXT
                                    ? "(signs from " + KeyRing.promotableAt(k, r.policy()) + ")" : time(k.removeAfter())));
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

    private static String clean(String s) {
        String c = s.replaceAll("[^\\x20-\\x7e]", "?");
        return c.length() > 40 ? c.substring(0, 40) + "..." : c;
    }
}
