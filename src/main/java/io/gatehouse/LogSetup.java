package io.gatehouse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Locale;
import java.util.Map;

/**
 * Logging set up in code (registered through META-INF/services): lines on standard error, CR/LF in messages
 * flattened so that input can never split a log line, chatty libraries at WARN (the web server's per-connection
 * warnings at most a few a minute, see {@link WebServerLogFilter}), the root level from
 * GATEHOUSE_LOG_LEVEL (default INFO). Doing this in code instead of logback.xml saves about half a second of
 * start-up (the XML configurator is slow on a cold JVM). A file given with -Dlogback.configurationFile wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %replace(%msg){'[\\r\\n]+', ' '}%n";
    /**
     * Hikari's ProxyConnection logs a WARN with the driver's whole stack trace for every pooled connection that breaks,
     * i.e. a screenful per connection whenever the database goes away; the request gets 503 and
     * {@code io.gatehouse.http.Unavailable} logs the same cause in one rate-limited line.
     */
    private static final Map<String, Level> QUIET = Map.of("io.helidon", Level.WARN, "org.flywaydb", Level.WARN,
            "com.zaxxer.hikari", Level.WARN, "com.zaxxer.hikari.pool.ProxyConnection", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("OUT");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault("GATEHOUSE_LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT),
                Level.INFO));
        root.addAppender(out);
        QUIET.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
        WebServerLogFilter webServer = new WebServerLogFilter();  // a few lines a minute, no traces (see there)
        webServer.setContext(ctx);
        webServer.start();
        ctx.addTurboFilter(webServer);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
