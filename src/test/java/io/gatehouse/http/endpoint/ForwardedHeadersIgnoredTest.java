package io.gatehouse.http.endpoint;

import io.gatehouse.config.AbuseConfig;
import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.model.Scope;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/** Without trusted-proxies, X-Forwarded-For and Forwarded are ignored: a guesser cannot pick a fresh address per try. */
class ForwardedHeadersIgnoredTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withAbuse(AbuseConfig.defaults()
                .withAttempts(new AttemptLimiter.Limits(Duration.ofMinutes(15), 3, 1000, 1000))));
        server.addClient("svc", "right-secret", b -> b.scope(Scope.of("all")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> token(String secret, String... headers) {
        String[] auth = basic("svc", secret);
        String[] all = new String[headers.length + 2];
        all[0] = auth[0];
        all[1] = auth[1];
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.form("/oauth2/token", "grant_type=client_credentials", all);
    }

    @Test
    void tokenWhenForwardingHeadersVaryButNoTrustedProxiesThenAllCountAsThePeer() {
        assertEquals(401, token("guess", "X-Forwarded-For", "203.0.113.1").statusCode());
        assertEquals(401, token("guess", "Forwarded", "for=203.0.113.2").statusCode());
        assertEquals(401, token("guess", "X-Forwarded-For", "203.0.113.3").statusCode());
        assertEquals(429, token("guess", "X-Forwarded-For", "198.51.100.99").statusCode());
        assertEquals(429, token("right-secret", "X-Forwarded-For", "198.51.100.100").statusCode());
        assertEquals(429, token("right-secret").statusCode());
    }
}
