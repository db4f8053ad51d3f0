package io.gatehouse;

import io.gatehouse.testing.Http;
import io.gatehouse.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** `gatehouse serve --demo` as an operator runs it: loopback only; its data gone after a start without --demo. */
class DemoModeProcessTest {
    @TempDir
    Path dir;

    @Test
    void serveDemoWhenHostIsNotLoopbackThenRefusedWithExitCode2() {
        Map<String, String[]> cases = Map.of(
                "0.0.0.0", new String[]{"serve", "--demo", "--host", "0.0.0.0"},
                "192.0.2.1", new String[]{"serve", "--host", "192.0.2.1", "--demo"});
        cases.forEach((host, args) -> {
            ServerProcess.Result r = ServerProcess.run(Map.of(), append(args, "--data", dir.resolve("d").toString()));
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("gatehouse: demo mode registers clients and a user with well-known secrets, so it "
                    + "listens on loopback only (127.0.0.1, ::1 or localhost), not on '" + host
                    + "': drop --demo, or use --host 127.0.0.1"), r.output());
            assertFalse(r.output().contains("Exception"), r.output());
        });
        ServerProcess.Result env = ServerProcess.run(Map.of("GATEHOUSE_DEMO", "true", "GATEHOUSE_HOST", "::"),
                "serve", "--data", dir.resolve("d").toString());
        assertEquals(2, env.exitCode(), env.output());
        assertTrue(env.output().contains("not on '::'"), env.output());
    }

    @Test
    void serveWithoutDemoAfterDemoThenDemoDataRemovedAndLogged() {
        String data = dir.resolve("data").toString();
        try (ServerProcess demo = ServerProcess.serve(Map.of(), "--demo", "--data", data)) {
            assertTrue(demo.output().contains("demo: registered [coupang, vision-api-user, oidc-demo, user demo]"), demo.output());
            Http.token(demo.base, "coupang", "coupangTest");
        }
        try (ServerProcess plain = ServerProcess.serve(Map.of(), "--data", data)) {
            assertTrue(plain.output().contains("demo: removed the demo data (well-known secrets) of an earlier start with --demo: "
                    + "[client coupang, client oidc-demo, client vision-api-user, user demo]"), plain.output());
            assertEquals(401, Http.clientCredentials(plain.base, "coupang", "coupangTest").statusCode());
        }
        try (ServerProcess again = ServerProcess.serve(Map.of(), "--data", data)) {
            assertFalse(again.output().contains("demo:"), "nothing left to remove: " + again.output());
        }
    }

    static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
