package io.gatehouse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The web library's warnings and errors about single connections (a client that went away, a malformed request it
 * answered itself) come with a stack trace each, so a few hundred misbehaving connections would flood the log. This
 * filter lets at most {@link #PER_MINUTE} of them a minute through, as one line each without the trace (the cause's
 * type and message instead), on the logger {@code io.gatehouse.http.WebServer}, and counts the rest, which the next
 * line that gets through reports ("N more in the last minute"). Our own request handling logs such things at DEBUG
 * (see {@code io.gatehouse.http.HttpServer}); this is the net for what the library logs itself. With the library's
 * loggers at DEBUG (a logback file of one's own) everything passes unchanged.
 */
final class WebServerLogFilter extends TurboFilter {
    static final int PER_MINUTE = 5;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    static final String OUT = "io.gatehouse.http.WebServer";
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || !logger.getName().startsWith("io.helidon.")
                || logger.isDebugEnabled()) {
            return FilterReply.NEUTRAL;
        }
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= MINUTE_NANOS && windowStart.compareAndSet(start, now)) inWindow.set(0);
        if (inWindow.incrementAndGet() > PER_MINUTE) {
            suppressed.incrementAndGet();
            return FilterReply.DENY;
        }
        long more = suppressed.getAndSet(0);
        String text = "web server: " + (format == null ? "" : format)
                + (t == null ? "" : " (" + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                + (t.getCause() == null ? "" : "; cause " + t.getCause().getClass().getSimpleName()) + ")")
                + (more > 0 ? " (" + more + " more such lines suppressed before this one)" : "");
        Logger out = logger.getLoggerContext().getLogger(OUT);
        if (level == Level.ERROR) out.error(text);
        else out.warn(text);
        return FilterReply.DENY;
    }
}
