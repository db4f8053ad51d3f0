package io.gatehouse.admin.api;

import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One server per test class, with the admin clients of {@link AdminApiSupport}. */
abstract class AdminApiTestBase {
    static TestServer server;
    static AdminApiSupport api;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        api = new AdminApiSupport(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
