package io.gatehouse.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.config.HttpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Connection-level trouble is summed up, not logged per connection: one INFO line per minute at most from the guard
 * (what the web library logs itself: {@code io.gatehouse.WebServerLogFilterTest}).
 */
class ConnectionLogTest {
    ListAppender<ILoggingEvent> log;
    Logger root;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log = new ListAppender<>();
        log.setContext(root.getLoggerContext());
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void release() {
        root.detachAppender(log);
    }

    @Test
    void summarizeWhenEventsThenOneInfoLineWithTheCountsAndNothingWhenQuiet() {
        try (ConnectionGuard guard = new ConnectionGuard("public", HttpConfig.defaults())) {
            for (int i = 0; i < 500; i++) guard.events.record(ConnectionGuard.Events.Kind.BODY_TIMEOUT);
            for (int i = 0; i < 3; i++) guard.events.record(ConnectionGuard.Events.Kind.HEADER_TIMEOUT);
            guard.events.summarize(7);
            guard.events.summarize(7);
        }
        List<ILoggingEvent> lines = log.list.stream().filter(e -> e.getLoggerName().endsWith("ConnectionGuard")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(Level.INFO, lines.getFirst().getLevel());
        assertEquals("public listener, last minute: 3 request heads not complete within the header timeout (closed), "
                + "500 request bodies not complete within the body timeout (408); 7 connections open",
                lines.getFirst().getFormattedMessage());
    }
}
