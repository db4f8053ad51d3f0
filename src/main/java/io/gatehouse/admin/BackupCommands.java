package io.gatehouse.admin;

import io.gatehouse.config.KeyEncryption;
import io.gatehouse.store.jdbc.Backups;
import io.gatehouse.store.jdbc.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** `gatehouse backup FILE` (online) and `gatehouse restore FILE` (server stopped) for the embedded database. */
public final class BackupCommands {
    private BackupCommands() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent copy of the embedded database to FILE (mode 0600) while the server runs.",
                    "For PostgreSQL it prints the pg_dump command to use instead."})
    public static final class Backup implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Parameters(index = "0", paramLabel = "FILE", description = "The backup file to create (must not exist).")
        Path file;

        @Override
        public Integer call() {
            int code = run(() -> Backups.backup(db.settings(), file));
            if (code == 0) {
                System.out.println("The signing keys in the backup are encrypted under the key-encryption key (KEK), "
                        + "which is not in it: a restore needs that KEK too (DATA/" + KeyEncryption.DEFAULT_FILE
                        + ", GATEHOUSE_KEK or --kek-file). Keep a copy of the KEK safe, apart from the backups.");
            }
            return code;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Replace the embedded database with the backup FILE; refused while a server runs on it.",
                    "The replaced database is kept beside it. For PostgreSQL it prints the pg_restore command to use."})
    public static final class Restore implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Parameters(index = "0", paramLabel = "FILE", description = "A backup written by `gatehouse backup`.")
        Path file;

        @Override
        public Integer call() {
            return run(() -> Backups.restore(db.settings(), file, Clock.systemUTC()));
        }
    }

    private static int run(java.util.function.Supplier<Backups.Done> action) {
        try {
            System.out.println(action.get().message());
            return 0;
        } catch (Backups.Refused | DataDirectory.Refused | IllegalArgumentException e) {
            System.err.println("gatehouse: " + e.getMessage());
            return 2;
        }
    }
}
