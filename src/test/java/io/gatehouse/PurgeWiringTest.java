package io.gatehouse;

import io.gatehouse.core.Housekeeping;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/** The running server purges expired rows on its own schedule (purge-interval-seconds). */
class PurgeWiringTest {
    static int tokenRows(TestServer server) {
        try (Connection c = server.db.reads().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from tokens")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void serveWhenTokensExpiredPastGraceThenScheduledPurgeDeletesThem() throws Exception {
        Fakes.MutableClock clock = new Fakes.MutableClock(Instant.now());
        try (TestServer server = TestServer.start(c -> c.withPurgeInterval(Duration.ofSeconds(1)), clock)) {
            server.addClient("svc", "s3cret", b -> b.tokenFormat(TokenFormat.OPAQUE).accessTokenTtl(Duration.ofSeconds(60)));
            assertEquals(200, server.form("/oauth2/token", "grant_type=client_credentials", basic("svc", "s3cret")).statusCode());
            assertEquals(1, tokenRows(server));
            Thread.sleep(1500);  // at least one purge ran: the token is not expired yet
            assertEquals(1, tokenRows(server));
            clock.advance(Duration.ofSeconds(61).plus(Housekeeping.GRACE));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tokenRows(server) > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(0, tokenRows(server));
        }
    }
}
