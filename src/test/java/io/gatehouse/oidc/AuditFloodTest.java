package io.gatehouse.oidc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.OidcFlow.REDIRECT;
import static io.gatehouse.testing.OidcFlow.authz;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue "hold up under abuse", audit part: a cheap flood of failed client authentications (an unknown client, no
 * secret) while a real user signs in. The sign-in is in the audit log at once; the failures are there too, aggregated,
 * and their counts add up to the 401 answers.
 */
class AuditFloodTest {
    private static final Pattern AGGREGATE = Pattern.compile("^client authentication failed: (\\d+) (more )?failures? for ");

    @Test
    void floodOfUnknownClientFailuresWhenUserSignsInThenSignInLoggedAndFailuresAggregatedWithCountsThatAddUp() throws Exception {
        Logger auditLogger = (Logger) LoggerFactory.getLogger("gatehouse.audit");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        auditLogger.addAppender(log);
        TestServer server = TestServer.start();
        AtomicLong unauthorized = new AtomicLong();
        try {
            OidcFlow.addUser(server, "alice", "alices password");
            server.addClient("web", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                    .redirectUris(List.of(REDIRECT)).firstParty(true));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest flood = HttpRequest.newBuilder(URI.create(server.base + "/api/v1/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=nobody")).build();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> floods = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                floods.add(pool.submit(() -> {
                    for (int i = 0; i < 1000 && !stop.get(); i++) {
                        HttpResponse<String> r = http.send(flood, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 401) unauthorized.incrementAndGet();
                    }
                    return null;
                }));
            }
            while (unauthorized.get() < 500) Thread.sleep(10);  // the flood is on

            OidcFlow alice = new OidcFlow(server);
            alice.code(alice.authorizeAndApprove(authz("web"), "alice", "alices password"), Optional.of("st-1"));
            assertTrue(lines(log).stream().anyMatch(l -> l.startsWith("login succeeded: username=\"alice\"")),
                    "the sign-in is written at once, during the flood");
            for (Future<?> f : floods) f.get();
            pool.shutdown();
        } finally {
            server.close();  // writes what is counted
            auditLogger.detachAppender(log);
        }
        List<String> lines = lines(log);
        assertTrue(unauthorized.get() >= 2000, "the flood ran: " + unauthorized.get());
        long counted = 0;
        int single = 0, aggregated = 0;
        for (String l : lines) {
            if (!l.startsWith("client authentication failed: ")) continue;
            assertTrue(l.contains("client_id=\"nobody\""), l);
            Matcher m = AGGREGATE.matcher(l);
            if (m.find()) {
                aggregated++;
                counted += Long.parseLong(m.group(1));
                assertTrue(l.contains("(reasons: unknown_client="), l);
            } else {
                single++;
                counted++;
            }
        }
        assertEquals(unauthorized.get(), counted, "every failure counted once:\n" + String.join("\n", lines));
        assertTrue(single + aggregated <= 10, "aggregated, not one line each: " + (single + aggregated) + " lines");
        assertEquals(1, lines.stream().filter(l -> l.startsWith("login succeeded: username=\"alice\"")).count());
    }

    private static List<String> lines(ListAppender<ILoggingEvent> log) {
        synchronized (log) {  // AppenderBase appends under the appender's lock
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
