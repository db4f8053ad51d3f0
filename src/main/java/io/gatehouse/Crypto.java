package io.gatehouse;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.Security;
import java.util.concurrent.CompletableFuture;

/**
 * Installs the Amazon Corretto Crypto Provider first when it loads on this platform. Loading it (native
 * library) takes a few hundred ms, so `serve` starts it on a background thread as its very first step and waits
 * for it only just before the signing keys are loaded. The provider's self-tests of all its algorithms
 * ({@code assertHealthy}) run on that thread after the install, off the start's critical path: until then the
 * provider tests each algorithm at its first use and refuses one whose test fails, so nothing is used untested.
 * A failure of the full run is logged as an error.
 */
final class Crypto {
    private static volatile CompletableFuture<String> installing;
    private static volatile long installMillis = -1;

    private Crypto() {
    }

    /** Starts {@link #install()} in the background (once). */
    static synchronized void startInstall() {
        if (installing == null) {
            installing = CompletableFuture.supplyAsync(() -> {
                        long t0 = System.nanoTime();
                        String description = install();
                        installMillis = (System.nanoTime() - t0) / 1_000_000;
                        return description;
                    },
                    r -> Thread.ofPlatform().daemon().name("crypto-provider").start(r));
            installing.thenRunAsync(Crypto::selfTests,
                    r -> Thread.ofPlatform().daemon().name("crypto-self-tests").start(r));
        }
    }

    /** Runs the provider's self-tests of every algorithm when it is installed; a failure is logged. */
    private static void selfTests() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() == null) accp.assertHealthy();
        } catch (Throwable t) {
            org.slf4j.LoggerFactory.getLogger(Crypto.class).error("the Corretto Crypto Provider failed its self-tests "
                    + "({}): the algorithms that failed refuse to work; run without it by removing its jar", String.valueOf(t));
        }
    }

    /** Waits for a background install if one was started; @return its description, or empty when none was */
    static java.util.Optional<String> awaitInstall() {
        CompletableFuture<String> f = installing;
        return f == null ? java.util.Optional.empty() : java.util.Optional.of(f.join());
    }

    /** How long the background install took, in ms; -1 before it is done or when none was started. */
    static long installMillis() {
        return installMillis;
    }

    /**
     * Installs the provider; the self-tests of all its algorithms are left to {@link #selfTests} (run after
     * {@link #startInstall}).
     *
     * @return a description of the provider in use, for the start-up log
     */
    static String install() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() == null) {
                AmazonCorrettoCryptoProvider.install();
                return "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " (native AWS-LC), first of "
                        + Security.getProviders().length;
            }
            return "JDK providers (Corretto Crypto Provider unavailable: " + accp.getLoadingError().getMessage() + ")";
        } catch (Throwable t) {
            return "JDK providers (Corretto Crypto Provider unavailable: " + t.getClass().getSimpleName() + ")";
        }
    }
}
