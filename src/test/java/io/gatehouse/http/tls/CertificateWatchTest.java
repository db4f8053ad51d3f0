package io.gatehouse.http.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.config.TlsFiles;
import io.gatehouse.testing.OpenSsl;
import io.gatehouse.testing.TestCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Files renewed in place: a change is taken once it has settled; broken files are one WARN each and change nothing.
 * {@link CertificateWatch#check} is called by the test (the watch is not started), one call per polling interval.
 */
class CertificateWatchTest {
    @TempDir
    Path dir;
    ListAppender<ILoggingEvent> log;
    Logger logger;

    @BeforeEach
    void capture() {
        OpenSsl.assumeAvailable();
        logger = (Logger) LoggerFactory.getLogger(CertificateWatch.class);
        log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        if (logger != null) logger.detachAppender(log);
    }

    /** Replaces {@code target}'s content in place (same inode), with a later modification time. */
    static void overwrite(Path target, Path from) throws Exception {
        FileTime before = Files.getLastModifiedTime(target);
        Files.write(target, Files.readAllBytes(from));
        Files.setLastModifiedTime(target, FileTime.fromMillis(before.toMillis() + 1000));
    }

    List<ILoggingEvent> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void checkWhenFilesRenewedThenNewCredentialOnceSettledAndBrokenVersionsWarnedOnce() throws Exception {
        TestCerts.Pair a = TestCerts.selfSigned(dir, "a", "rsa:2048");
        TestCerts.Pair b = TestCerts.selfSigned(dir, "b", "ec");
        Path cert = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        Files.copy(a.cert(), cert);
        Files.copy(a.key(), key, StandardCopyOption.COPY_ATTRIBUTES);
        TlsFiles files = new TlsFiles(cert, key);
        List<TlsCredential> got = new ArrayList<>();
        CertificateWatch watch = new CertificateWatch(files, false, CertificateWatch.Stamp.of(files), got::add,
                Clock.systemUTC());

        watch.check();
        assertEquals(List.of(), got, "nothing changed");

        // The certificate is renewed first, the key a moment later: taken together, with no WARN in between.
        overwrite(cert, b.cert());
        watch.check();
        overwrite(key, b.key());
        watch.check();
        assertEquals(List.of(), got, "not settled yet");
        watch.check();
        assertEquals(1, got.size());
        assertEquals(b.certificate(), got.getFirst().leaf());
        assertEquals(List.of(), lines(Level.WARN));
        assertTrue(lines(Level.INFO).getFirst().getFormattedMessage().startsWith("TLS certificate reloaded: CN=b, "));

        // A broken key: one WARN, however often it is looked at; nothing handed over.
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
        overwrite(key, garbage);
        for (int i = 0; i < 5; i++) watch.check();
        assertEquals(1, got.size());
        List<ILoggingEvent> warns = lines(Level.WARN);
        assertEquals(1, warns.size(), warns.toString());
        assertTrue(warns.getFirst().getFormattedMessage().matches("the TLS files changed but cannot be used: TLS private "
                + "key file .* is not valid PEM \\(.*\\); still serving the previous certificate"),
                warns.getFirst().getFormattedMessage());

        // The key of the other certificate: refused too (a mismatch), one more WARN.
        overwrite(key, a.key());
        watch.check();
        watch.check();
        watch.check();
        assertEquals(1, got.size());
        assertEquals(2, lines(Level.WARN).size());
        assertTrue(lines(Level.WARN).get(1).getFormattedMessage().contains("does not belong to the first certificate"));

        // The matching certificate follows: taken.
        overwrite(cert, a.cert());
        watch.check();
        watch.check();
        assertEquals(2, got.size());
        assertEquals(a.certificate(), got.get(1).leaf());

        // A key file others may read is refused, as at start.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        overwrite(key, b.key());
        overwrite(cert, b.cert());
        watch.check();
        watch.check();
        assertEquals(2, got.size());
        assertTrue(lines(Level.WARN).get(2).getFormattedMessage().contains("other users can access TLS private key file"));
    }

    @Test
    void checkWhenSymlinksRepointedLikeCertbotThenNewCredential() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        TestCerts.Pair one = TestCerts.selfSigned(archive, "one", "rsa:2048");
        TestCerts.Pair two = TestCerts.selfSigned(archive, "two", "ec");
        Path live = Files.createDirectories(dir.resolve("live"));
        Path cert = live.resolve("fullchain.pem");
        Path key = live.resolve("privkey.pem");
        Files.createSymbolicLink(cert, one.cert());
        Files.createSymbolicLink(key, one.key());
        TlsFiles files = new TlsFiles(cert, key);
        List<TlsCredential> got = new ArrayList<>();
        CertificateWatch watch = new CertificateWatch(files, false, CertificateWatch.Stamp.of(files), got::add,
                Clock.systemUTC());
        repoint(cert, two.cert());
        repoint(key, two.key());
        watch.check();
        watch.check();
        assertEquals(1, got.size());
        assertEquals(two.certificate(), got.getFirst().leaf());
    }

    /** Points a symlink elsewhere atomically (a new link renamed over the old one). */
    static void repoint(Path link, Path target) throws Exception {
        Path tmp = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
