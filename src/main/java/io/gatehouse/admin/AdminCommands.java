package io.gatehouse.admin;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.User;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcUserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `gatehouse admin init`: the first administrator and the admin console's client. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Set up administration (the admin API and console).",
        subcommands = {AdminCommands.Init.class})
public final class AdminCommands implements Runnable {
    /** The admin console's client: public, PKCE, first-party. */
    public static final String CONSOLE_CLIENT = "gatehouse-console";
    /** Where the console receives the authorization response, under the issuer. */
    public static final String CONSOLE_CALLBACK = "/admin/callback";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = {"Create the first administrator (a user with "
            + "the role admin) and register the admin console's client (gatehouse-console: public, PKCE, first-party, "
            + "scope 'openid gatehouse:admin', redirect URI ISSUER/admin/callback). The password is read from standard "
            + "input with --password-stdin, else prompted for twice (no echo); there is no default password. Refused "
            + "when a user with the role admin exists already."})
    static final class Init implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = "--username", paramLabel = "NAME", defaultValue = "admin",
                description = "The administrator's username (default admin).")
        String username;
        @Option(names = "--password", paramLabel = "P", description = UserCommands.PASSWORD_ARGV)
        String password;
        @Option(names = "--password-stdin", description = UserCommands.PASSWORD_STDIN)
        boolean passwordStdin;
        @Option(names = "--issuer", paramLabel = "URL", description = "The issuer the console is served under (default: "
                + "the config's issuer, else http://HOST:PORT of the config).")
        String issuer;

        @Override
        public Integer call() {
            String pw;
            String iss;
            try {
                ServerConfig cfg = db.config();
                iss = issuer != null ? issuer : cfg.issuer().orElse("http://" + cfg.host() + ":" + cfg.port());
                if (!iss.matches("https?://[^/?#]+(/[^?#]*[^/?#])?")) {
                    throw new IllegalArgumentException("--issuer must be an http(s) URL without a trailing slash");
                }
                UserAdmin.checkPassword(pw = SecretInput.password(password, passwordStdin, "admin init"));
            } catch (IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
            try (Database d = db.open()) {
                Clock clock = Clock.systemUTC();
                SecureRandom random = new SecureRandom();
                var audit = KeyCommands.audit(d, clock);
                UserAdmin users = new UserAdmin(new JdbcUserStore(d), new SecretHasher(), clock, random, audit, KeyCommands.actor());
                Optional<User> admin = users.list().stream().filter(u -> u.hasRole(Role.ADMIN)).findFirst();
                if (admin.isPresent()) {
                    System.err.println("gatehouse: an administrator exists already (" + admin.get().username() + "); add more "
                            + "with `gatehouse user add NAME --role admin`");
                    return 2;
                }
                ClientAdmin clients = new ClientAdmin(new JdbcClientRepository(d), new SecretHasher(), clock, random, audit,
                        KeyCommands.actor());
                boolean consoleExists = new JdbcClientRepository(d).find(new io.gatehouse.core.model.ClientId(CONSOLE_CLIENT)).isPresent();
                if (!consoleExists) clients.add(CONSOLE_CLIENT, Optional.empty(), true, consoleSettings(iss));
                users.add(username, pw, new UserAdmin.Changes(null, null, null, Map.of(), null,
                        java.util.EnumSet.of(Role.ADMIN)));
                System.out.println("user " + username + " added with the role admin");
                System.out.println(consoleExists ? "client " + CONSOLE_CLIENT + " exists already (left as it is)"
                        : "client " + CONSOLE_CLIENT + " registered (redirect URI " + iss + CONSOLE_CALLBACK + ")");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
        }
    }

    /** The console's client settings under an issuer. */
    public static ClientSettings consoleSettings(String issuer) {
        ClientSettings s = new ClientSettings();
        s.grantTypes = List.of("authorization_code");
        s.scope = "openid " + AdminAccess.SCOPE;
        s.redirectUris = List.of(issuer + CONSOLE_CALLBACK);
        s.postLogoutRedirectUris = List.of(issuer + "/admin/");
        s.firstParty = true;
        s.requirePkce = true;
        return s;
    }
}
