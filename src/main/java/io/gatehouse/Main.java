package io.gatehouse;

import io.gatehouse.admin.BackupCommands;
import io.gatehouse.admin.ClientCommands;
import io.gatehouse.admin.KeyCommands;
import io.gatehouse.admin.UserCommands;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.KeyEncryption;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.config.TlsFiles;
import io.gatehouse.http.tls.TlsCredential;
import io.gatehouse.core.token.keys.KeyProtection;
import io.gatehouse.store.jdbc.DataDirectory;
import io.gatehouse.store.jdbc.DatabaseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The CLI: `serve` runs the server; `client ...` manages clients in the same database. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
        description = "Gatehouse: an OAuth 2.0 / OpenID Connect authorization server.",
        subcommands = {Main.Serve.class, ClientCommands.class, UserCommands.class, BackupCommands.Backup.class,
                BackupCommands.Restore.class, KeyCommands.class, io.gatehouse.admin.AdminCommands.class})
public final class Main implements Runnable {
    private static final long STARTED = System.nanoTime();
    private static final long STARTED_MILLIS = System.currentTimeMillis();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        boolean serve = args.length > 0 && args[0].equals("serve");
        if (serve) Crypto.startInstall();  // overlaps with everything below
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = serve ? serve(java.util.Arrays.copyOfRange(args, 1, args.length))
                : new CommandLine(new Main()).setExecutionExceptionHandler(Main::failed).execute(args);
        if (code != 0 || !Serve.running) System.exit(code);
    }

    /**
     * `serve` parses with its own command only (building the whole command tree, client, user and their option groups,
     * by reflection cost about half a second of start-up), and plain flags without picocli at all ({@link QuickFlags}).
     */
    private static int serve(String[] args) {
        Serve command = new Serve();
        if (!QuickFlags.bind(command, args)) {
            return new CommandLine(command).setCommandName("gatehouse serve").setExecutionExceptionHandler(Main::failed)
                    .execute(args);
        }
        try {
            return command.call();
        } catch (RuntimeException e) {
            System.err.println(failure(e));
            return 1;
        }
    }

    private static int failed(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println(failure(ex));
        return 1;
    }

    private static String failure(Exception ex) {
        return "gatehouse: " + DatabaseSettings.redact(String.valueOf(ex.getMessage()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server.")
    static final class Serve implements Callable<Integer> {
        private static final Logger LOG = LoggerFactory.getLogger("gatehouse");
        static volatile boolean running;

        @Option(names = "--host", description = "Address to listen on (default 127.0.0.1; env GATEHOUSE_HOST).")
        String host;
        @Option(names = "--port", description = "Port (default 9000; 0 picks a free one; env GATEHOUSE_PORT).")
        Integer port;
        @Option(names = "--management-port", description = "Port of the management listener: /health/live, /health/ready, "
                + "/metrics (default 9001; 0 picks a free one; env GATEHOUSE_MANAGEMENT_PORT).")
        Integer managementPort;
        @Option(names = "--management-host", description = "Address of the management listener (default 127.0.0.1; "
                + "env GATEHOUSE_MANAGEMENT_HOST).")
        String managementHost;
        @Option(names = "--data", description = "Data directory for the embedded database (default ./data; env GATEHOUSE_DATA).")
        Path data;
        @Option(names = "--db-url", description = "PostgreSQL JDBC URL instead of the embedded database (jdbc:postgresql://...; env GATEHOUSE_DB_URL).")
        String dbUrl;
        @Option(names = "--allow-insecure-permissions",
                description = "Start even when other users can read the data directory, the KEK file or the TLS key "
                        + "(a warning instead of a refusal).")
        Boolean allowInsecurePermissions;
        @Option(names = "--kek-file", paramLabel = "FILE", description = {"File holding the key-encryption key of the "
                + "signing keys (base64 of 32 bytes, mode 0600; env GATEHOUSE_KEK_FILE, or the key itself in GATEHOUSE_KEK).",
                "Default: DATA/gatehouse.kek, generated at the first start (embedded database only)."})
        Path kekFile;
        @Option(names = "--issuer", description = "Issuer URL (default http://HOST:PORT; env GATEHOUSE_ISSUER).")
        String issuer;
        @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (the server's first, then its "
                + "intermediates): https on the public port, reloaded when the file changes (env GATEHOUSE_TLS_CERT).")
        Path tlsCert;
        @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert (PKCS#8, PKCS#1 or "
                + "SEC1; unencrypted, mode 0600; env GATEHOUSE_TLS_KEY).")
        Path tlsKey;
        @Option(names = "--config", description = "JSON config file (env GATEHOUSE_CONFIG); see docs/configuration.md.")
        Path config;
        @Option(names = "--demo", description = "Register the demo clients and user when missing (env GATEHOUSE_DEMO=true).")
        Boolean demo;

        @Override
        public Integer call() {
            ServerConfig cfg;
            long tc = System.nanoTime();
            try {
                cfg = ConfigLoader.load(new ConfigLoader.Flags(host, port, data, dbUrl, issuer, config, demo,
                        allowInsecurePermissions, kekFile), System.getenv());
                if (managementPort != null || managementHost != null) {
                    var h = cfg.http();
                    cfg = cfg.withHttp(h.withManagement(h.managementEnabled(),
                            managementHost != null ? managementHost : h.managementHost(),
                            managementPort != null ? managementPort : h.managementPort()));
                }
                if (tlsCert != null || tlsKey != null) {  // each flag wins over its env variable or config key
                    var h = cfg.http();
                    cfg = cfg.withHttp(h.withTls(TlsFiles.of(
                            tlsCert != null ? tlsCert.toString() : h.tls().map(f -> f.certificate().toString()).orElse(null),
                            tlsKey != null ? tlsKey.toString() : h.tls().map(f -> f.privateKey().toString()).orElse(null))));
                }
            } catch (IllegalArgumentException e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            }
            StartupPhases phases = new StartupPhases();
            phases.done(StartupPhases.Phase.CONFIG, tc);
            Crypto.startInstall();  // normally started first thing in main; awaited before the keys load
            Gatehouse gh;
            try {
                gh = Gatehouse.start(cfg, Clock.systemUTC());
            } catch (DataDirectory.Refused | KeyEncryption.Refused | KeyProtection.Failure | TlsCredential.Refused e) {
                System.err.println("gatehouse: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                System.err.println("gatehouse: cannot start: " + describe(e, cfg));
                return 1;
            }
            running = true;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("stopping");
                gh.close();
                stopped.countDown();
            }, "gatehouse-shutdown"));
            LOG.info("crypto provider: {}", Crypto.awaitInstall().orElseThrow());
            LOG.info("database: {}", gh.database());
            if (gh.managementPort() >= 0) {
                LOG.info("management listener at http://{}:{} (GET /health/live, /health/ready{})",
                        Gatehouse.hostForUrl(cfg.http().managementHost()), gh.managementPort(), cfg.metrics() ? ", /metrics" : "");
            } else {
                LOG.info("management listener off (management-enabled: false): no /health or /metrics");
            }
            long sinceMain = (System.nanoTime() - STARTED) / 1_000_000;
            launchPhases(phases);
            phases.with(gh.startupPhases());
            phases.tookInBackground(StartupPhases.Phase.CRYPTO, Crypto.installMillis());
            LOG.info("Gatehouse ready at {} (issuer {}) in {} ms ({})", gh.url(cfg.host()), gh.issuer(),
                    sinceMain + launchMillis(), phases);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        /**
         * The launcher's and the JVM's part of the start: ./gatehouse passes when it started and when it ran java
         * (-Dgatehouse.launched, -Dgatehouse.exec: seconds since the epoch, as bash's EPOCHREALTIME). Without them
         * the process's start time (10 ms resolution) stands for both.
         */
        private static void launchPhases(StartupPhases phases) {
            long launched = launchedAt(), exec = epochMillis(System.getProperty("gatehouse.exec"));
            if (launched < 0) return;
            if (exec >= launched) {
                phases.took(StartupPhases.Phase.LAUNCHER, exec - launched);
                phases.took(StartupPhases.Phase.JVM, STARTED_MILLIS - exec);
            } else {
                phases.took(StartupPhases.Phase.JVM, STARTED_MILLIS - launched);
            }
        }

        /** Milliseconds from the launch (or the process start) to main; 0 when unknown. */
        private static long launchMillis() {
            long launched = launchedAt();
            return launched < 0 ? 0 : Math.max(0, STARTED_MILLIS - launched);
        }

        private static long launchedAt() {
            long launched = epochMillis(System.getProperty("gatehouse.launched"));
            if (launched >= 0) return launched;
            return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
        }

        /** "1764094641.123456" (seconds, as bash's EPOCHREALTIME) in ms since the epoch, or -1. */
        private static long epochMillis(String seconds) {
            if (seconds == null) return -1;
            try {
                return new java.math.BigDecimal(seconds.replace(',', '.')).movePointRight(3).longValue();
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        static String describe(Throwable e, ServerConfig cfg) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException be) {
                    // the listener's own message names it (management or public), host and port
                    return be.getMessage() != null && be.getMessage().contains(" is already in use") ? be.getMessage()
                            : "port " + cfg.port() + " on " + cfg.host() + " is already in use or not available";
                }
            }
            String m = e.getMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t.getMessage() != null) m = t.getMessage();
            }
            return m == null ? e.getClass().getSimpleName() : DatabaseSettings.redact(m);
        }
    }
}
