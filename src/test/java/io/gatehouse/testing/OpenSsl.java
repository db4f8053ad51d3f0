package io.gatehouse.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The openssl command line, to make keys, certificates and PKCS#12 files the way an operator would. */
public final class OpenSsl {
    private static Boolean available;

    private OpenSsl() {
    }

    /** Skips the calling test, saying why, when there is no openssl on the PATH. */
    public static synchronized void assumeAvailable() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        Assumptions.assumeTrue(available, "openssl is not installed: it makes the keys, certificates and PKCS#12 "
                + "files these tests import (apt-get install openssl)");
    }

    /** Runs {@code openssl args...} in {@code dir}; fails the test when it does not exit 0. */
    public static void run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl did not finish: " + cmd);
            }
            if (p.exitValue() != 0) throw new AssertionError("openssl failed: " + cmd + "\n" + out);
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
