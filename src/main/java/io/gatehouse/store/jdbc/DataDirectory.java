package io.gatehouse.store.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded database's directory: {@code gatehouse.db} (with SQLite's {@code -wal} and {@code -shm} beside it) and
 * {@code gatehouse.lock}, which a running server holds locked so that a second server or a restore is refused.
 * The directory is created 0700 and the files 0600; SQLite gives its {@code -wal} and {@code -shm} files the
 * database file's mode. {@link #checkPermissions} finds anything readable by other users.
 */
public final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    public static final String DB_FILE = "gatehouse.db";
    static final String LOCK_FILE = "gatehouse.lock";
    static final String MIGRATE_LOCK_FILE = "gatehouse.migrate.lock";
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** Below this much free space, a refusal to start says that the file system is full. */
    static final long LOW_SPACE_BYTES = 1024 * 1024;
    /** Server locks held by this JVM: closing any channel of a file would release the process's locks on it. */
    private static final ConcurrentHashMap<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    /** Start-up refused: the message says what is wrong and what to do. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final Path dir;

    public DataDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path database() {
        return dir.resolve(DB_FILE);
    }

    /** The database file and the files SQLite keeps beside it. */
    List<Path> databaseFiles() {
        return List.of(database(), dir.resolve(DB_FILE + "-wal"), dir.resolve(DB_FILE + "-shm"));
    }

    /**
     * Creates the directory (0700) when missing and the database file (0600) when missing, then checks permissions.
     *
     * @throws Refused when the directory cannot be created or written, or when others may read it (unless allowed)
     */
    public void prepare(boolean allowInsecurePermissions) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                    Files.setPosixFilePermissions(dir, OWNER_DIR);  // the umask may have taken bits away, never added
                } catch (FileAlreadyExistsException e) {
                    // created meanwhile by another process: checked below like any existing directory
                }
            }
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new Refused("data directory " + dir + " is not a writable directory");
            }
            createPrivateFile(database());
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new Refused("data directory " + dir + " cannot be created or written ("
                    + e.getClass().getSimpleName() + ")");
        }
        List<String> exposed = checkPermissions();
        if (!exposed.isEmpty()) {
            String what = String.join(", ", exposed);
            if (!allowInsecurePermissions) {
                throw new Refused("other users can access " + what + ". The database holds signing keys and client "
                        + "secrets: run `chmod 700 " + dir + "` and `chmod 600 " + dir + "/gatehouse.*`, "
                        + "or start with --allow-insecure-permissions to accept this");
            }
            LOG.warn("other users can access {} (--allow-insecure-permissions given)", what);
        }
        if (Files.exists(dir.resolve("gatehouse.mv.db"))) {
            LOG.warn("{} holds an H2 database (gatehouse.mv.db) from Gatehouse 0.1; it is not used and there is nothing "
                    + "to migrate from it (see the changelog): delete it when you no longer need it", dir);
        }
    }

    /** @return "PATH (mode 0755)" for the directory and each database file that group or others may access */
    List<String> checkPermissions() {
        List<String> out = new ArrayList<>();
        List<Path> all = new ArrayList<>(List.of(dir));
        all.addAll(databaseFiles());
        all.add(dir.resolve(LOCK_FILE));
        for (Path p : all) {
            try {
                if (!Files.exists(p)) continue;
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                if (view == null) return out;  // not a POSIX file system: nothing to check
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                if (perms.stream().anyMatch(OTHERS::contains)) out.add(p + " (mode " + mode(perms) + ")");
            } catch (IOException e) {
                out.add(p + " (unreadable attributes)");
            }
        }
        return out;
    }

    static void createPrivateFile(Path p) throws IOException {
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException e) {
            // keep what is there
        }
    }

    /**
     * Takes the server lock, held until the returned handle is closed (or the process dies).
     *
     * @throws Refused when another server (or a restore) holds it
     */
    public AutoCloseable lockForServer() {
        Path lock = dir.resolve(LOCK_FILE);
        if (HELD.containsKey(lock)) throw inUse(lock, "this process");
        FileChannel ch = null;
        try {
            createPrivateFile(lock);
            ch = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock fl = tryLock(ch);
            if (fl == null) {
                String holder = new String(Files.readAllBytes(lock), StandardCharsets.US_ASCII).strip();
                ch.close();
                throw inUse(lock, holder.isEmpty() ? "another process" : "process " + holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            if (HELD.putIfAbsent(lock, ch) != null) {
                ch.close();
                throw inUse(lock, "this process");
            }
            FileChannel held = ch;
            return () -> {
                HELD.remove(lock, held);
                held.close();
            };
        } catch (IOException e) {
            closeQuietly(ch);
            throw new Refused("cannot lock " + lock + " (" + e.getClass().getSimpleName() + ")" + spaceProblem());
        }
    }

    /**
     * "; the file system holding DIR is full ..." when it has (almost) no space left, else "": appended to a
     * refusal whose immediate cause (an I/O error writing the lock file, SQLite unable to create its shared-memory
     * file) would not say so.
     */
    String spaceProblem() {
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free >= LOW_SPACE_BYTES) return "";
            return "; the file system holding " + dir + " is full (" + free + " bytes free): free some space and "
                    + "start again (no data was changed)";
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private Refused inUse(Path lock, String holder) {
        return new Refused("the database in " + dir + " is in use by a Gatehouse server (" + holder + ", lock "
                + lock.getFileName() + "); stop it first");
    }

    /** Runs {@code action} while holding the migration lock (first start of a server and CLI at the same moment). */
    <T> T whileMigrating(java.util.function.Supplier<T> action) {
        synchronized (DataDirectory.class) {  // one channel per JVM at a time (see HELD)
            Path lock = dir.resolve(MIGRATE_LOCK_FILE);
            try {
                createPrivateFile(lock);
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    return action.get();
                }
            } catch (IOException e) {
                throw new Refused("cannot lock " + lock + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return String.format("%04o", m);
    }
}
