package io.gatehouse.http.tls;

import io.gatehouse.config.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Notices when the certificate or key file changes (as ACME clients renew in place, or replace a symlink, as certbot
 * does) and hands the new credential over, without a restart. One daemon thread looks at both files' metadata every
 * {@link #INTERVAL} (no reads while nothing changed). A change is read once the files stayed the same for one interval,
 * so a certificate and key written one after the other are taken together. Files that cannot serve (half written, a
 * key that does not match, wrong permissions) are logged as one WARN per version and the current certificate stays.
 */
final class CertificateWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(2);

    /** What identifies one version of a file: where a symlink leads, the inode, modification time and size. */
    record Stamp(String cert, String key) {
        static Stamp of(TlsFiles files) {
            return new Stamp(file(files.certificate()), file(files.privateKey()));
        }

        private static String file(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return p.toRealPath() + " " + a.fileKey() + " " + a.lastModifiedTime().toMillis() + " " + a.size();
            } catch (IOException | SecurityException e) {
                return "unreadable";  // gone for a moment while it is replaced, or broken: looked at again
            }
        }
    }

    private final TlsFiles files;
    private final boolean allowInsecurePermissions;
    private final Consumer<TlsCredential> onChange;
    private final Clock clock;
    private volatile Thread thread;
    private volatile boolean running = true;

    private Stamp applied;
    private Stamp pending;
    private Stamp failed;

    /** @param applied the stamp of the files the credential in use came from (taken before they were read) */
    CertificateWatch(TlsFiles files, boolean allowInsecurePermissions, Stamp applied, Consumer<TlsCredential> onChange,
                     Clock clock) {
        this.files = files;
        this.allowInsecurePermissions = allowInsecurePermissions;
        this.applied = applied;
        this.onChange = onChange;
        this.clock = clock;
    }

    /** Starts looking every {@link #INTERVAL} on a daemon thread of its own (until {@link #close}). */
    CertificateWatch start() {
        thread = Thread.ofPlatform().daemon().name("gatehouse-tls-watch").start(this::run);
        return this;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                if (!running) return;
            }
            try {
                check();
            } catch (RuntimeException e) {
                LOG.warn("checking the TLS certificate files failed ({}); still serving the current certificate",
                        e.getClass().getSimpleName());
            }
        }
    }

    /**
     * One look at the files (on the watch's thread, or a test's when not started); reloads when they changed and then
     * stayed the same for one look.
     */
    void check() {
        Stamp now = Stamp.of(files);
        if (now.equals(applied)) {
            pending = null;
            return;
        }
        if (!now.equals(pending)) {  // changed since the last look: wait until it settles
            pending = now;
            return;
        }
        if (now.equals(failed)) return;  // this version was refused already (and logged once)
        TlsCredential next;
        try {
            next = TlsCredential.read(files, allowInsecurePermissions);
        } catch (TlsCredential.Refused e) {
            failed = now;
            LOG.warn("the TLS files changed but cannot be used: {}; still serving the previous certificate", e.getMessage());
            return;
        }
        if (!Objects.equals(Stamp.of(files), now)) return;  // changed again while being read: next round
        onChange.accept(next);
        applied = now;
        failed = null;
        LOG.info("TLS certificate reloaded: {}", next);
        next.validityProblem(clock.instant()).ifPresent(p -> LOG.warn("TLS certificate from {}: {}", files.certificate(), p));
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) t.interrupt();
    }
}
