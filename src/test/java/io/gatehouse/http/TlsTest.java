package io.gatehouse.http;

import io.gatehouse.Gatehouse;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.OpenSsl;
import io.gatehouse.testing.ServerProcess;
import io.gatehouse.testing.TestCerts;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Native TLS on the public listener (--tls-cert/--tls-key) with certificates openssl made for the test: clients that
 * trust only that certificate get tokens; a certificate swapped on disk reaches new connections without a restart;
 * https cookies and HSTS; TLS 1.2+ with AEAD suites only; handshakes bounded by the header timeout; refusals at start.
 */
class TlsTest {
    static final String SECRET = "s3cret-tls";
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    static TestCerts.Pair first;
    static TestServer server;
    static HttpClient client;

    @BeforeAll
    static void start() {
        OpenSsl.assumeAvailable();
        first = TestCerts.selfSigned(dir, "first", "rsa:2048");
        server = TestServer.start(c -> c.withHttp(c.http()
                .withTimeouts(HEADER_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(60))
                .withTls(Optional.of(first.files()))));
        server.addClient("svc", SECRET, b -> { });
        server.addClient("web", SECRET, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(OidcFlow.REDIRECT)));
        client = TestCerts.client(first.certificate());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> send(HttpClient c, HttpRequest.Builder b) throws IOException, InterruptedException {
        return c.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder token(String base) {
        String[] auth = TestServer.basic("svc", SECRET);
        return HttpRequest.newBuilder(URI.create(base + "/oauth2/token")).header(auth[0], auth[1])
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
    }

    @Test
    void tokenOverTlsWhenClientTrustsOnlyTheTestCertificateThenIssuedWithHttpsIssuerAndHsts() throws Exception {
        assertEquals("https://127.0.0.1:" + server.gatehouse.port(), server.base, "the default issuer is https");
        HttpResponse<String> r = send(client, token(server.base));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Optional.of(Gatehouse.HSTS), r.headers().firstValue("Strict-Transport-Security"));
        assertEquals(server.base, TestServer.jwtPart(TestServer.json(r).get("access_token").asText(), 1).get("iss").asText());
        HttpResponse<String> discovery = send(client, HttpRequest.newBuilder(URI.create(server.base
                + "/.well-known/openid-configuration")));
        assertEquals(server.base + "/oauth2/token", TestServer.json(discovery).get("token_endpoint").asText());
        HttpResponse<String> unknown = send(client, HttpRequest.newBuilder(URI.create(server.base + "/nothing-here")));
        assertEquals(404, unknown.statusCode());
        assertEquals(Optional.of(Gatehouse.HSTS), unknown.headers().firstValue("Strict-Transport-Security"), "every answer");
    }

    @Test
    void clientWhenCertificateNotTrustedOrPlainHttpThenNoAnswer() {
        HttpClient systemTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class, () -> send(systemTrust, token(server.base)));
        String plain = "http://127.0.0.1:" + server.gatehouse.port();
        assertThrows(IOException.class, () -> send(HttpClient.newHttpClient(), token(plain)), "no plain http on the https port");
    }

    @Test
    void loginPageOverHttpsThenSecureCookieAndHsts() throws Exception {
        HttpResponse<String> page = send(client, HttpRequest.newBuilder(URI.create(server.base + "/oauth2/authorize?"
                + OidcFlow.authz("web"))));
        assertEquals(200, page.statusCode(), page.body());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("gh_session=") && cookie.endsWith("; HttpOnly; SameSite=Lax; Secure"), cookie);
        assertEquals(Optional.of(Gatehouse.HSTS), page.headers().firstValue("Strict-Transport-Security"));
    }

    @Test
    void httpsIssuerBehindProxyThenHstsAndSecureCookieOverPlainHttpAndNoneForHttpIssuer() throws Exception {
        try (TestServer proxied = TestServer.start(c -> c.withIssuer("https://login.example"))) {
            proxied.addClient("web", SECRET, b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                    .redirectUris(List.of(OidcFlow.REDIRECT)));
            String direct = "http://127.0.0.1:" + proxied.gatehouse.port();
            HttpResponse<String> jwks = proxied.send(HttpRequest.newBuilder(URI.create(direct + "/jwks")));
            assertEquals(Optional.of(Gatehouse.HSTS), jwks.headers().firstValue("Strict-Transport-Security"));
            HttpResponse<String> page = proxied.send(HttpRequest.newBuilder(URI.create(direct + "/oauth2/authorize?"
                    + OidcFlow.authz("web"))));
            assertTrue(page.headers().firstValue("Set-Cookie").orElseThrow().endsWith("; Secure"));
            assertEquals(Optional.empty(), proxied.management("/health/live").headers()
                    .firstValue("Strict-Transport-Security"), "the management listener is plain http");
        }
        try (TestServer plain = TestServer.start()) {
            assertEquals(Optional.empty(), plain.get("/jwks").headers().firstValue("Strict-Transport-Security"));
        }
    }

    @Test
    void handshakeWhenTls12OrTls13ThenForwardSecretAeadAndOlderOrWeakerRefused() throws Exception {
        try (SSLSocket s = socket(p -> { })) {
            s.startHandshake();
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
        try (SSLSocket s = socket(p -> p.setProtocols(new String[]{"TLSv1.2"}))) {
            s.startHandshake();
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            assertTrue(s.getSession().getCipherSuite().matches("TLS_ECDHE_RSA_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|"
                    + "CHACHA20_POLY1305_SHA256)"), s.getSession().getCipherSuite());
        }
        try (SSLSocket s = socket(p -> {
            p.setProtocols(new String[]{"TLSv1.2"});
            p.setCipherSuites(new String[]{"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"});
        })) {
            assertThrows(SSLHandshakeException.class, s::startHandshake, "CBC suites are not offered");
        }
    }

    @Test
    void http10OverTlsWhenOnlyHttp10OfferedWithAlpnThenAnsweredAndClosed() throws Exception {
        try (SSLSocket s = socket(p -> p.setApplicationProtocols(new String[]{"http/1.0"}))) {
            s.getOutputStream().write("GET /jwks HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);  // to the close
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertTrue(answer.contains("\"keys\""), answer);
        }
    }

    @Test
    void handshakeWhenClientSendsNothingOrStallsThenClosedAfterTheHeaderTimeout() throws Exception {
        for (byte[] sent : List.of(new byte[0], new byte[]{0x16, 0x03, 0x01, 0x02})) {  // nothing; a record header only
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.gatehouse.port()), 5000);
                s.setSoTimeout(15_000);
                long t0 = System.nanoTime();
                s.getOutputStream().write(sent);
                int read;
                try {
                    read = s.getInputStream().read();
                } catch (SocketException e) {
                    read = -1;  // reset: closed as well
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(-1, read, "closed without an answer");
                assertTrue(ms >= HEADER_TIMEOUT.toMillis() - 300 && ms < HEADER_TIMEOUT.toMillis() + 3000, ms + " ms");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.gatehouse.publicListener().openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(0, server.gatehouse.publicListener().openConnections(), "nothing left behind");
    }

    @Test
    void certificateSwappedOnDiskThenNewConnectionsGetTheNewOneWithoutRestart() throws Exception {
        // certbot's layout: live/ holds symlinks into archive/, re-pointed at each renewal
        Path archive = Files.createDirectories(dir.resolve("archive"));
        TestCerts.Pair one = TestCerts.selfSigned(archive, "one", "rsa:2048");
        TestCerts.Pair two = TestCerts.selfSigned(archive, "two", "ec");
        Path live = Files.createDirectories(dir.resolve("live"));
        Path cert = live.resolve("fullchain.pem");
        Path key = live.resolve("privkey.pem");
        Files.createSymbolicLink(cert, one.cert());
        Files.createSymbolicLink(key, one.key());
        try (TestServer swapped = TestServer.start(c -> c.withHttp(c.http().withTls(Optional.of(
                new io.gatehouse.config.TlsFiles(cert, key)))))) {
            swapped.addClient("svc", SECRET, b -> { });
            int port = swapped.gatehouse.port();
            assertEquals(one.certificate(), TestCerts.served(port, one.certificate()));
            assertEquals(200, send(TestCerts.client(one.certificate()), token(swapped.base)).statusCode());

            repoint(cert, two.cert());
            repoint(key, two.key());
            long t0 = System.nanoTime();
            X509Certificate now = null;
            while (System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) {
                try {
                    now = TestCerts.served(port, one.certificate(), two.certificate());
                } catch (IOException e) {
                    now = null;
                }
                if (two.certificate().equals(now)) break;
                Thread.sleep(200);
            }
            assertEquals(two.certificate(), now, "the new certificate within 30 s");
            System.out.printf("tls-test: new certificate served %d ms after the swap%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(200, send(TestCerts.client(two.certificate()), token(swapped.base)).statusCode());
            assertThrows(SSLHandshakeException.class, () -> send(TestCerts.client(one.certificate()), token(swapped.base)));
        }
    }

    static void repoint(Path link, Path target) throws IOException {
        Path tmp = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void serveWhenTlsFilesUnusableThenExit2WithClearMessage() throws Exception {
        Path data = dir.resolve("refused-data");
        Path missing = dir.resolve("missing.pem");
        ServerProcess.Result r = ServerProcess.run(Map.of(), "serve", "--port", "0", "--data", data.toString(),
                "--tls-cert", missing.toString(), "--tls-key", first.key().toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("gatehouse: TLS certificate file " + missing + " does not exist"), r.output());

        Path open = dir.resolve("open.key");
        Files.copy(first.key(), open, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        r = ServerProcess.run(Map.of("GATEHOUSE_TLS_CERT", first.cert().toString(), "GATEHOUSE_TLS_KEY", open.toString()),
                "serve", "--port", "0", "--data", data.toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("gatehouse: other users can access TLS private key file " + open + " (mode 0644)"),
                r.output());
        assertFalse(Files.exists(data.resolve("gatehouse.db")), "refused before the database was touched");

        r = ServerProcess.run(Map.of(), "serve", "--port", "0", "--data", data.toString(), "--tls-cert",
                first.cert().toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("gatehouse: tls-cert and tls-key go together"), r.output());
    }

    /** A TLS client socket to the server, trusting only the test certificate, with its parameters adjusted. */
    static SSLSocket socket(java.util.function.Consumer<SSLParameters> adjust) throws IOException {
        SSLSocket s = (SSLSocket) TestCerts.trusting(first.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", server.gatehouse.port());
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        adjust.accept(p);
        s.setSSLParameters(p);
        return s;
    }
}
