package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.User;
import io.gatehouse.http.Json;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcUserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** `gatehouse user add|list|show|update|set-password|remove`, against the same database as the server. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users (resource owners who sign in).",
        subcommands = {UserCommands.Add.class, UserCommands.ListCmd.class, UserCommands.Show.class,
                UserCommands.Update.class, UserCommands.SetPassword.class, UserCommands.Remove.class})
public final class UserCommands implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        DbOptions db;

        /** Runs the action on a user admin whose changes are audited as made by this CLI process. */
        Integer with(Function<UserAdmin, Integer> action) {
            try (Database d = db.open()) {
                Clock clock = Clock.systemUTC();
                return action.apply(new UserAdmin(new JdbcUserStore(d), new SecretHasher(), clock, new SecureRandom(),
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

    static final String PASSWORD_ARGV = "Password on the command line: every local user sees it in ps and it stays in "
            + "the shell history; prefer --password-stdin or the prompt.";
    static final String PASSWORD_STDIN = "Read the password (8 to 1024 characters) from standard input: one line, its "
            + "line break not part of it.";

    /** Profile options shared by add and update. */
    static final class Profile {
        @Option(names = "--email", paramLabel = "E", description = "Email address.")
        String email;
        @Option(names = "--email-verified", negatable = true, description = "Whether the email address is verified (default: not).")
        Boolean emailVerified;
        @Option(names = "--name", paramLabel = "N", description = "Full name (the OIDC name claim).")
        String name;
        @Option(names = "--claim", paramLabel = "key=value", description = "Further claim, e.g. given_name=Ada (repeatable; "
                + "replaces all on update). Not address: see --address-json.")
        Map<String, String> claims;
        @Option(names = "--address-json", paramLabel = "JSON", description = "The address claim (OIDC Core 5.1.1), a JSON "
                + "object of at most 2048 bytes with string members formatted, street_address, locality, region, "
                + "postal_code, country, e.g. '{\"street_address\":\"1 Main St\",\"locality\":\"Springfield\","
                + "\"country\":\"US\"}'. '{}' removes it.")
        String addressJson;
        @Option(names = "--role", split = ",", paramLabel = "ROLE", description = "A role: admin (may be granted the "
                + "gatehouse:admin scopes of the admin API). Repeatable; replaces all on update; --role '' removes them.")
        java.util.List<String> roles;

        UserAdmin.Changes changes() {
            return new UserAdmin.Changes(email, emailVerified, name, claims,
                    addressJson == null ? null : UserAdmin.address(addressJson),
                    roles == null ? null : UserAdmin.roles(roles.stream().filter(r -> !r.isEmpty()).toList(), "--role"));
        }

        boolean any() {
            return email != null || emailVerified != null || name != null || claims != null || addressJson != null
                    || roles != null;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add a user. The password is read from standard "
            + "input with --password-stdin, else prompted for twice (no echo) on a terminal; without either the command "
            + "refuses."})
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--password", paramLabel = "P", description = PASSWORD_ARGV)
        String password;
        @Option(names = "--password-stdin", description = PASSWORD_STDIN)
        boolean passwordStdin;
        @picocli.CommandLine.ArgGroup(exclusive = false)
        Profile profile = new Profile();

        @Override
        public Integer call() {
            String pw;
            UserAdmin.Changes changes;
            try {  // before the database is opened: a prompt may wait
                changes = profile.changes();
                pw = SecretInput.password(password, passwordStdin, "user add " + username);
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            return with(admin -> {
                User u = admin.add(username, pw, changes);
                System.out.println("user " + u.username() + " added (sub " + u.id() + ")");
                return 0;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a user's profile (and, with --password-stdin, the password).")
    static final class Update extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--password-stdin", description = "Also set a new password, read from standard input: one line, "
                + "its line break not part of it.")
        boolean passwordStdin;
        @picocli.CommandLine.ArgGroup(exclusive = false)
        Profile profile = new Profile();

        @Override
        public Integer call() {
            Optional<String> pw;
            try {
                pw = SecretInput.given(null, passwordStdin, "password");
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            return with(admin -> {
                if (pw.isPresent()) UserAdmin.checkPassword(pw.get());  // nothing changed when it is refused
                if (profile.any() || pw.isEmpty()) admin.update(username, profile.changes());
                if (pw.isPresent()) admin.setPassword(username, pw.get());
                System.out.println("user " + username + " updated" + (pw.isPresent() ? " (password changed)" : ""));
                return 0;
            });
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true, description = {"Set a new password, read from "
            + "standard input with --password-stdin, else prompted for twice (no echo) on a terminal."})
    static final class SetPassword extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--password", paramLabel = "P", description = PASSWORD_ARGV)
        String password;
        @Option(names = "--password-stdin", description = PASSWORD_STDIN)
        boolean passwordStdin;

        @Override
        public Integer call() {
            String pw;
            try {
                pw = SecretInput.password(password, passwordStdin, "user set-password " + username);
            } catch (IllegalArgumentException e) {
                return refuse(e);
            }
            return with(admin -> {
                admin.setPassword(username, pw);
                System.out.println("password of " + username + " changed");
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a user, with their sessions and consents.")
    static final class Remove extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return with(admin -> {
                admin.remove(username);
                System.out.println("user " + username + " removed");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListCmd extends Base {
        @Override
        public Integer call() {
            return with(admin -> {
                for (User u : admin.list()) {
                    System.out.println(u.username() + "\t" + u.id() + "\t" + u.email().orElse("-") + "\t" + u.name().orElse("-"));
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one user (never the password hash).")
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return with(admin -> {
                User u = admin.find(username);
                System.out.println("username:        " + u.username());
                System.out.println("sub:             " + u.id());
                System.out.println("name:            " + u.name().orElse("-"));
                System.out.println("email:           " + u.email().orElse("-"));
                System.out.println("email_verified:  " + u.emailVerified());
                System.out.println("claims:          " + u.claims());
                System.out.println("roles:           " + (u.roles().isEmpty() ? "-" : UserAdmin.roles(u.roles())));
                System.out.println("address:         " + u.address().map(a -> new String(Json.write(a.members()),
                        java.nio.charset.StandardCharsets.UTF_8)).orElse("-"));
                System.out.println("created_at:      " + u.createdAt());
                System.out.println("updated_at:      " + u.updatedAt());
                return 0;
            });
        }
    }
}
