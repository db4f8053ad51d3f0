package io.gatehouse.testing;

import io.gatehouse.config.TlsFiles;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * Certificates and keys made with the openssl command line as an operator makes them ({@link OpenSsl}; tests that use
 * this call {@link OpenSsl#assumeAvailable} first), and TLS clients that trust only the certificates a test names.
 */
public final class TestCerts {
    private TestCerts() {
    }

    /** A certificate file and its key file (mode 0600). */
    public record Pair(Path cert, Path key) {
        public TlsFiles files() {
            return new TlsFiles(cert, key);
        }

        /** The first certificate of the file. */
        public X509Certificate certificate() {
            return read(cert);
        }
    }

    /**
     * {@code openssl req -x509}: a self-signed certificate for 127.0.0.1 and localhost, valid two days, with a new key
     * in {@code DIR/NAME.crt} and {@code DIR/NAME.key} (PKCS#8, as OpenSSL 3 writes it).
     *
     * @param newKey openssl's -newkey argument, e.g. {@code rsa:2048} or {@code ec} (P-256)
     */
    public static Pair selfSigned(Path dir, String name, String newKey) {
        Pair p = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        if (newKey.equals("ec")) {
            OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", p.key().toString(), "-out", p.cert().toString(), "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        } else {
            OpenSsl.run(dir, "req", "-x509", "-newkey", newKey, "-nodes", "-keyout", p.key().toString(), "-out",
                    p.cert().toString(), "-days", "2", "-subj", "/CN=" + name, "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost");
        }
        ownerOnly(p.key());
        return p;
    }

    public static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static X509Certificate read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot read certificate " + pem, e);
        }
    }

    /** A TLS client context whose only trust anchors are {@code trusted}. */
    public static SSLContext trusting(X509Certificate... trusted) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < trusted.length; i++) ks.setCertificateEntry("trusted-" + i, trusted[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** An HTTP client (HTTP/1.1, no redirects) that trusts only {@code trusted}. */
    public static HttpClient client(X509Certificate... trusted) {
        return HttpClient.newBuilder().sslContext(trusting(trusted)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The certificate a TLS server at 127.0.0.1:{@code port} presents to a new connection, checked against
     * {@code trusted}. @throws IOException when the handshake fails (say, it presents another certificate)
     */
    public static X509Certificate served(int port, X509Certificate... trusted) throws IOException {
        try (SSLSocket s = (SSLSocket) trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }
}
