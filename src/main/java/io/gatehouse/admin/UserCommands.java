package io.gatehouse.admin;

import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.User;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcUserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
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

        Integer with(Function<UserAdmin, Integer> action) {
            try (Database d = db.open()) {
                return action.apply(new UserAdmin(new JdbcUserStore(d), new SecretHasher(), Clock.systemUTC(),
                        new SecureRandom()));
            } catch (IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
        }
    }

    /** Profile options shared by add and update. */
    static final class Profile {
        @Option(names = "--email", paramLabel = "E", description = "Email address.")
        String email;
        @Option(names = "--email-verified", negatable = true, description = "Whether the email address is verified (default: not).")
        Boolean emailVerified;
        @Option(names = "--name", paramLabel = "N", description = "Full name (the OIDC name claim).")
        String name;
        @Option(names = "--claim", paramLabel = "key=value", description = "Further claim, e.g. given_name=Ada (repeatable; replaces all on update).")
        Map<String, String> claims;

        UserAdmin.Changes changes() {
            return new UserAdmin.Changes(email, emailVerified, name, claims);
        }
    }

    /** The password from --password, else read twice from the console without echo. */
    static String password(String given) {
        if (given != null) return given;
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no console to prompt for the password: pass --password P");
        }
        char[] a = console.readPassword("Password: ");
        char[] b = console.readPassword("Repeat password: ");
        if (a == null || b == null || !Arrays.equals(a, b)) throw new IllegalArgumentException("the passwords do not match");
        return new String(a);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user; prompts for the password when --password is not given.")
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--password", paramLabel = "P", description = "Password (8 to 1024 characters); prompted when omitted.")
        String password;
        @picocli.CommandLine.ArgGroup(exclusive = false)
        Profile profile = new Profile();

        @Override
        public Integer call() {
            return with(admin -> {
                User u = admin.add(username, password(password), profile.changes());
                System.out.println("user " + u.username() + " added (sub " + u.id() + ")");
                return 0;
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a user's profile.")
    static final class Update extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @picocli.CommandLine.ArgGroup(exclusive = false)
        Profile profile = new Profile();

        @Override
        public Integer call() {
            return with(admin -> {
                admin.update(username, profile.changes());
                System.out.println("user " + username + " updated");
                return 0;
            });
        }
    }

    @Command(name = "set-password", mixinStandardHelpOptions = true, description = "Set a new password (prompted when --password is not given).")
    static final class SetPassword extends Base {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--password", paramLabel = "P", description = "The new password.")
        String password;

        @Override
        public Integer call() {
            return with(admin -> {
                admin.setPassword(username, password(password));
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
                System.out.println("created_at:      " + u.createdAt());
                System.out.println("updated_at:      " + u.updatedAt());
                return 0;
            });
        }
    }
}
