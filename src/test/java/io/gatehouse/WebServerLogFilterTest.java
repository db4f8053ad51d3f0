package io.gatehouse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The web library's per-connection warnings: a few lines a minute, without stack traces; its other levels untouched. */
class WebServerLogFilterTest {
    @Test
    void webServerWarningsWhenManyThenAFewLinesWithoutTracesAndTheCountOfTheRest() {
        LoggerContext ctx = new LoggerContext();
        WebServerLogFilter filter = new WebServerLogFilter();
        filter.setContext(ctx);
        filter.start();
        ctx.addTurboFilter(filter);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.setContext(ctx);
        log.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        root.setLevel(Level.INFO);
        ctx.getLogger("io.helidon").setLevel(Level.WARN);

        Logger helidon = ctx.getLogger("io.helidon.webserver.http1.Http1Connection");
        for (int i = 0; i < 100; i++) helidon.warn("Internal server error", new IllegalStateException("boom " + i));
        helidon.info("Started all channels");  // below WARN: dropped by the level, as before

        List<ILoggingEvent> lines = log.list;
        assertEquals(WebServerLogFilter.PER_MINUTE, lines.size(), lines.toString());
        for (ILoggingEvent e : lines) {
            assertNull(e.getThrowableProxy(), "no stack trace");
            assertEquals(Level.WARN, e.getLevel());
            assertEquals(WebServerLogFilter.OUT, e.getLoggerName());
            assertTrue(e.getFormattedMessage().startsWith("web server: Internal server error (IllegalStateException: boom"),
                    e.getFormattedMessage());
        }
        ctx.getLogger("io.gatehouse.Other").warn("ours are not filtered");
        assertEquals(WebServerLogFilter.PER_MINUTE + 1, lines.size());
    }
}
