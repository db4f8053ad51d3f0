package io.gatehouse.http;

import io.gatehouse.Gatehouse;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.port.KeyStore;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.DatabaseSettings;
import io.gatehouse.store.jdbc.JdbcClientRepository;
import io.gatehouse.store.jdbc.JdbcKeyStore;
import io.gatehouse.testing.ExternalTool;
import io.gatehouse.testing.OpenSsl;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestCerts;
import io.gatehouse.testing.TestDb;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gatehouse behind a stock reverse proxy with TLS at the proxy, configured as docs/deployment.md shows (the test reads
 * the configurations from there and only puts in its own loopback ports and certificate): Debian's nginx with its
 * default proxy settings (HTTP/1.0 to the backend) and HAProxy, each started by the test in front of a `gatehouse
 * serve` process with the documented JSON config. Through each: discovery and a token under the public https issuer,
 * HSTS, the http port redirecting to https, and the attempt limits and the audit log seeing the client's own address
 * (the client connects from 127.0.0.3, the proxy from 127.0.0.1, the one trusted proxy), never the proxy's nor one the
 * client forged in X-Forwarded-For. Skipped without nginx or HAProxy (bin/test-env.d installs them as root).
 */
class ReverseProxyTest {
    static final String DOCS = "docs/deployment.md";
    static final String SECRET = "s3cret-proxy";
    static final String CLIENT_ADDRESS = "127.0.0.3";
    static final String FORGED = "203.0.113.7";
    static final int LIMIT = 3;  // failures per client id and address

    @TempDir
    static Path dir;
    static TestCerts.Pair cert;

    @BeforeAll
    static void certificate() {
        OpenSsl.assumeAvailable();
        cert = TestCerts.selfSigned(dir, "proxy", "ec");
    }

    @Test
    void nginxWithItsDefaultProxySettingsThenTokenDiscoveryAndTheClientsAddress() throws Exception {
        String nginx = ExternalTool.find("nginx", "GATEHOUSE_TEST_NGINX", "-v", "nginx version");
        String site = codeBlock("### nginx", "```nginx\n");
        assertFalse(site.contains("proxy_http_version"), "the stock default: nginx speaks HTTP/1.0 to Gatehouse");
        int https = ExternalTool.freePort();
        int http = ExternalTool.freePort();
        try (Backend gatehouse = Backend.start("https://127.0.0.1:" + https)) {
            site = replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + https + " ssl;");
            site = replace(site, "listen 80;", "listen 127.0.0.1:" + http + ";");
            site = replace(site, "/etc/letsencrypt/live/login.example.com/fullchain.pem", cert.cert().toString());
            site = replace(site, "/etc/letsencrypt/live/login.example.com/privkey.pem", cert.key().toString());
            site = replace(site, "proxy_pass http://127.0.0.1:9000;", "proxy_pass http://127.0.0.1:" + gatehouse.port + ";");
            Path prefix = Files.createDirectories(dir.resolve("nginx"));
            Path conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, nginxConf(prefix, site));
            try (ExternalTool proxy = ExternalTool.start("nginx", List.of(nginx, "-p", prefix + "/", "-c", conf.toString(),
                    "-e", prefix.resolve("error.log").toString()))) {
                proxy.awaitListening(https).awaitListening(http);
                throughTheProxy(gatehouse, https, http);
            }
        }
    }

    @Test
    void haproxyThenTokenDiscoveryAndTheClientsAddress() throws Exception {
        String haproxy = ExternalTool.find("haproxy", "GATEHOUSE_TEST_HAPROXY", "-v", "HAProxy");
        String cfg = codeBlock("### HAProxy", "```\n");
        int https = ExternalTool.freePort();
        int http = ExternalTool.freePort();
        Path combined = dir.resolve("haproxy.pem");  // HAProxy takes certificate and key from one file
        Files.writeString(combined, Files.readString(cert.cert()) + Files.readString(cert.key()));
        TestCerts.ownerOnly(combined);
        try (Backend gatehouse = Backend.start("https://127.0.0.1:" + https)) {
            cfg = replace(cfg, "bind :443 ssl crt /etc/haproxy/certs/login.example.com.pem",
                    "bind 127.0.0.1:" + https + " ssl crt " + combined);
            cfg = replace(cfg, "bind :80", "bind 127.0.0.1:" + http);
            cfg = replace(cfg, "server gatehouse 127.0.0.1:9000", "server gatehouse 127.0.0.1:" + gatehouse.port);
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, cfg);
            try (ExternalTool proxy = ExternalTool.start("haproxy", List.of(haproxy, "-f", file.toString(), "-db"))) {
                proxy.awaitListening(https).awaitListening(http);
                throughTheProxy(gatehouse, https, http);
            }
        }
    }

    /** What a client of the public URL sees, and what Gatehouse sees of the client. */
    static void throughTheProxy(Backend gatehouse, int https, int http) throws Exception {
        String base = "https://127.0.0.1:" + https;
        HttpClient client = TestCerts.client(cert.certificate());

        HttpResponse<String> discovery = send(client, HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration")));
        assertEquals(200, discovery.statusCode(), discovery.body());
        assertEquals(base, TestServer.json(discovery).get("issuer").asText());
        assertEquals(base + "/oauth2/token", TestServer.json(discovery).get("token_endpoint").asText());
        assertEquals(Optional.of(Gatehouse.HSTS), discovery.headers().firstValue("Strict-Transport-Security"));

        HttpResponse<String> token = send(client, tokenRequest(base, SECRET));
        assertEquals(200, token.statusCode(), token.body());
        assertEquals(base, TestServer.jwtPart(TestServer.json(token).get("access_token").asText(), 1).get("iss").asText());

        HttpResponse<String> plain = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + http + "/jwks")));
        assertEquals(301, plain.statusCode());
        assertTrue(plain.headers().firstValue("Location").orElse("").startsWith("https://"), plain.headers().toString());

        // Wrong secrets from 127.0.0.3 (with a forged X-Forwarded-For) use up that address's budget only.
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(401, status(fromClientAddress(https, "wrong")), "failure " + (i + 1));
        }
        String refused = fromClientAddress(https, SECRET);
        assertEquals(429, status(refused), "over the limit from " + CLIENT_ADDRESS + ", even with the right secret: " + refused);
        assertEquals(200, send(client, tokenRequest(base, SECRET)).statusCode(), "127.0.0.1 is another client: served");

        String audit = "client authentication failed: client_id=\"svc\" address=\"" + CLIENT_ADDRESS + "\" reason=wrong_secret";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!gatehouse.server.output().contains(audit) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(gatehouse.server.output().contains(audit), gatehouse.server.output());
        assertFalse(gatehouse.server.output().contains(FORGED), "the forged address is never believed");
    }

    static HttpRequest.Builder tokenRequest(String base, String secret) {
        String[] auth = TestServer.basic("svc", secret);
        return HttpRequest.newBuilder(URI.create(base + "/oauth2/token")).header(auth[0], auth[1])
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A token request over TLS to the proxy from {@link #CLIENT_ADDRESS} (the socket bound to it), claiming in
     * X-Forwarded-For to come from {@link #FORGED}. @return the whole answer (read until the proxy closes)
     */
    static String fromClientAddress(int port, String secret) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(CLIENT_ADDRESS, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        try (SSLSocket s = (SSLSocket) TestCerts.trusting(cert.certificate()).getSocketFactory()
                .createSocket(plain, "127.0.0.1", port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(30_000);
            String body = "grant_type=client_credentials";
            String request = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + TestServer.basic("svc", secret)[0] + ": " + TestServer.basic("svc", secret)[1] + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
                    + "X-Forwarded-For: " + FORGED + "\r\nConnection: close\r\n\r\n" + body;
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int status(String response) {
        assertTrue(response.startsWith("HTTP/1.1 "), response);
        return Integer.parseInt(response.substring(9, 12));
    }

    /** The documented site inside a minimal nginx.conf that keeps everything in {@code prefix} (no root needed). */
    static String nginxConf(Path prefix, String site) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return "daemon off;\n"
                + (root ? "user root;\n" : "")  // as root, workers would switch to nobody, who cannot enter the temp dir
                + "worker_processes 1;\n"
                + "pid " + prefix.resolve("nginx.pid") + ";\n"
                + "error_log " + prefix.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "    access_log " + prefix.resolve("access.log") + ";\n"
                + "    client_body_temp_path " + prefix.resolve("body") + ";\n"
                + "    proxy_temp_path " + prefix.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + prefix.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + prefix.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + prefix.resolve("scgi") + ";\n"
                + site
                + "}\n";
    }

    /** The first code block opened by {@code fence} after {@code heading} in docs/deployment.md. */
    static String codeBlock(String heading, String fence) throws IOException {
        String doc = Files.readString(Path.of(DOCS));
        int section = doc.indexOf("\n" + heading + "\n");
        assertTrue(section >= 0, DOCS + " has no section '" + heading + "'");
        int open = doc.indexOf(fence, section);
        int close = doc.indexOf("```\n", open + fence.length());
        return doc.substring(open + fence.length(), close);
    }

    static String replace(String text, String documented, String tested) {
        assertTrue(text.contains(documented), DOCS + " no longer has '" + documented + "'");
        return text.replace(documented, tested);
    }

    /**
     * A `gatehouse serve` process on a fresh embedded database (signing keys copied in, client "svc"), configured
     * with the JSON of docs/deployment.md (its issuer replaced by the proxy's URL), on a free port.
     */
    static final class Backend implements AutoCloseable {
        final ServerProcess server;
        final int port;
        final Path data;

        private Backend(ServerProcess server, Path data) {
            this.server = server;
            this.port = URI.create(server.base).getPort();
            this.data = data;
        }

        static Backend start(String issuer) throws IOException {
            Path data = TestDb.tempDir("proxied");
            try (Database db = Database.open(DatabaseSettings.embedded(data), Database.Role.CLI)) {
                JdbcKeyStore keys = new JdbcKeyStore(db);
                for (KeyStore.StoredKey k : TestServer.keys()) keys.insert(k);
                new ClientAdmin(new JdbcClientRepository(db), new SecretHasher(), Clock.systemUTC(), new SecureRandom())
                        .add("svc", Optional.of(SECRET), false, c -> { });
            }
            String json = replace(codeBlock("## Behind a reverse proxy", "```json\n"), "https://login.example.com", issuer);
            Path config = Files.createTempFile(dir, "gatehouse", ".json");
            Files.writeString(config, json);
            List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--config", config.toString()));
            try {
                return new Backend(ServerProcess.serve(Map.of("GATEHOUSE_ATTEMPT_LIMIT_PER_ACCOUNT_SOURCE",
                        Integer.toString(LIMIT)), args.toArray(String[]::new)), data);
            } catch (RuntimeException e) {
                TestDb.deleteTree(data);
                throw e;
            }
        }

        @Override
        public void close() {
            server.close();
            TestDb.deleteTree(data);
        }
    }
}
