package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.token.ClientKeys;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** `gatehouse client add|list|show|update|rotate-secret|remove`, against the same database as the server. */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Manage OAuth clients.",
        subcommands = {ClientCommands.Add.class, ClientCommands.ListCmd.class, ClientCommands.Show.class,
                ClientCommands.Update.class, ClientCommands.RotateSecret.class, ClientCommands.Remove.class})
public final class ClientCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        DbOptions db;

        /** Runs the action on a client admin whose changes are audited as made by this CLI process. */
        Integer with(Function<ClientAdmin, Integer> action) {
            try (Database d = db.open()) {
                Clock clock = Clock.systemUTC();
                return action.apply(new ClientAdmin(new JdbcClientRepository(d), new SecretHasher(), clock, new SecureRandom(),
                        KeyCommands.audit(d, clock), KeyCommands.actor()));
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
        }

        static int refuse(IllegalArgumentException e) {
            System.err.println("gatehouse: " + e.getMessage());
            return 2;
        }
    }

    static final String SECRET_ARGV = "Client secret (1 to 100 characters) on the command line: every local user sees it in "
            + "ps and it stays in the shell history; prefer --secret-stdin.";
    static final String SECRET_STDIN = "Read the client secret (1 to 100 characters) from standard input: one line, "
            + "its line break not part of it.";

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Register a client. Its secret is read from "
            + "standard input with --secret-stdin, else prompted for (no echo) on a terminal, else generated and printed once."})
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "Client id (1 to 50 visible ASCII characters).")
        String id;
        @Option(names = "--secret", paramLabel = "S", description = SECRET_ARGV)
        String secret;
        @Option(names = "--secret-stdin", description = SECRET_STDIN)
        boolean secretStdin;
        @Option(names = "--public", description = "Public client: no secret, token_endpoint_auth_method=none, PKCE required.")
        boolean publicClient;
        @ArgGroup(exclusive = false)
        ClientOptions options = new ClientOptions();

        @Override
        public Integer call() {
            Optional<String> given;
            try {  // before the database is opened: a prompt may wait
                given = SecretInput.given(secret, secretStdin, "secret");
                if (given.isEmpty() && !publicClient) given = SecretInput.promptClientSecret();
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            Optional<String> chosen = given;
            return with(admin -> {
                ClientAdmin.Saved s = admin.add(id, chosen, publicClient, options.settings());
                System.out.println("client " + s.client().id() + " added");
                s.newSecret().ifPresent(x -> System.out.println("client_secret: " + x + "\n(shown once: store it now)"));
                return 0;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a client's settings; its secret only with --secret-stdin (or --secret).")
    static final class Update extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Option(names = "--secret", paramLabel = "S", description = SECRET_ARGV)
        String secret;
        @Option(names = "--secret-stdin", description = "Set a new secret, read from standard input: one line, its line "
                + "break not part of it.")
        boolean secretStdin;
        @ArgGroup(exclusive = false)
        ClientOptions options = new ClientOptions();

        @Override
        public Integer call() {
            Optional<String> given;
            try {
                given = SecretInput.given(secret, secretStdin, "secret");
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            return with(admin -> {
                admin.update(id, given, options.settings());
                System.out.println("client " + id + " updated");
                return 0;
            });
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true, description = {"Give a client a new secret: "
            + "generated and printed once, or read from standard input with --secret-stdin. The old one stops working."})
    static final class RotateSecret extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Option(names = "--secret-stdin", description = "Read the new secret from standard input instead of generating "
                + "one: one line, its line break not part of it.")
        boolean secretStdin;

        @Override
        public Integer call() {
            Optional<String> given;
            try {
                given = SecretInput.given(null, secretStdin, "secret");
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            return with(admin -> {
                ClientAdmin.Saved s = admin.rotateSecret(id, given);
                if (s.newSecret().isPresent()) {
                    System.out.println("client_secret: " + s.newSecret().get() + "\n(shown once: store it now)");
                } else {
                    System.out.println("client " + id + " secret changed");
                }
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a client.")
    static final class Remove extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return with(admin -> {
                admin.remove(id);
                System.out.println("client " + id + " removed");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List clients.")
    static final class ListCmd extends Base {
        @Override
        public Integer call() {
            return with(admin -> {
                for (Client c : admin.list()) {
                    System.out.println(c.id() + "\t" + (c.isPublic() ? "public" : "confidential") + "\t"
                            + String.join(",", c.grantTypes().stream().map(GrantType::wireName).sorted().toList())
                            + "\t" + c.scope());
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one client (never its secret).")
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return with(admin -> {
                print(admin.find(id), System.out);
                return 0;
            });
        }
    }

    /** How many keys, and their kids: the keys themselves are public, but long. */
    static String jwksSummary(Client c) {
        if (c.jwks().isEmpty()) return "(none)";
        try {
            List<String> keys = ClientKeys.parse(c.jwks().get()).stream()
                    .map(k -> k.getKeyType() + (k.getKeyID() == null ? "" : " kid " + k.getKeyID())).toList();
            return keys.size() + (keys.size() == 1 ? " key: " : " keys: ") + String.join(", ", keys);
        } catch (IllegalArgumentException e) {
            return "(unusable: " + e.getMessage() + ")";
        }
    }

    static void print(Client c, PrintStream out) {
        out.println("client_id:            " + c.id());
        out.println("type:                 " + (c.isPublic() ? "public (token_endpoint_auth_method=none)" : "confidential"));
        out.println("grant_types:          " + String.join(" ", c.grantTypes().stream().map(GrantType::wireName).sorted().toList()));
        out.println("scope:                " + c.scope());
        out.println("token_format:         " + c.tokenFormat().wireName());
        out.println("access_token_ttl:     " + c.accessTokenTtl().toSeconds());
        out.println("signing_alg:          " + c.signingAlg());
        out.println("scope_claim:          " + c.scopeClaim().name().toLowerCase(java.util.Locale.ROOT));
        out.println("audience:             " + c.audience().orElse("(issuer)"));
        out.println("claims:               " + c.claims());
        out.println("redirect_uris:        " + c.redirectUris());
        out.println("post_logout_uris:     " + c.postLogoutRedirectUris());
        out.println("require_pkce:         " + c.requirePkce());
        out.println("refresh_tokens:       " + c.refreshTokens());
        out.println("first_party:          " + c.firstParty());
        out.println("id_token_ttl:         " + c.idTokenTtl().toSeconds());
        out.println("refresh_token_ttl:    " + c.refreshTokenTtl().toSeconds());
        out.println("jwt_header_x5t:       " + c.jwtHeaderX5t());
        out.println("introspection:        " + c.resourceServer());
        out.println("jwks:                 " + jwksSummary(c));
        out.println("request_object_signing_alg: " + c.requestObjectSigningAlg().map(RequestObjectSigningAlg::wireName)
                .orElse("(any alg its keys verify; never none)"));
        if (c.demo()) out.println("demo:                 true (registered by serve --demo; removed by a start without it)");
        out.println("created_at:           " + c.createdAt());
    }
}
