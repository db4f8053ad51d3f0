package io.gatehouse.http.tls;

import io.gatehouse.config.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * https on the public listener: the JSSE server context with TLS 1.3 and 1.2 only and forward-secret AEAD cipher suites
 * (Mozilla's "intermediate" set), over a key manager whose certificate is swapped when the files change
 * ({@link CertificateWatch}). {@link #context} is what the web server gets: every accepted connection is reported to
 * the caller before its handshake starts (the connection guard bounds how long the handshake may take), and each
 * server socket gets these parameters.
 */
public final class ServerTls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** In order of preference; those the JDK does not offer are left out. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SSLContext jsse;
    private final SSLParameters parameters;
    private final CertificateWatch watch;

    private ServerTls(SSLContext jsse, SSLParameters parameters, CertificateWatch watch) {
        this.jsse = jsse;
        this.parameters = parameters;
        this.watch = watch;
    }

    /**
     * Reads the files and starts watching them.
     *
     * @throws TlsCredential.Refused when they cannot serve (missing, unreadable, accessible to others, a key that does
     *                               not match the certificate, ...)
     */
    public static ServerTls start(TlsFiles files, boolean allowInsecurePermissions, Clock clock) {
        CertificateWatch.Stamp stamp = CertificateWatch.Stamp.of(files);
        TlsCredential credential = TlsCredential.read(files, allowInsecurePermissions);
        ReloadingKeyManager keys = new ReloadingKeyManager(credential);
        SSLContext jsse;
        try {
            jsse = SSLContext.getInstance("TLS");
            jsse.init(new KeyManager[]{keys}, new TrustManager[0], new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JDK", e);
        }
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS);
        List<String> supported = Arrays.asList(jsse.getSupportedSSLParameters().getCipherSuites());
        p.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false);
        LOG.info("https on the public listener (TLS 1.3 and 1.2): certificate {}; {} are checked for changes every {} s",
                credential, files, CertificateWatch.INTERVAL.toSeconds());
        credential.validityProblem(clock.instant()).ifPresent(problem ->
                LOG.warn("TLS certificate from {}: {}: clients will refuse it", files.certificate(), problem));
        CertificateWatch watch = new CertificateWatch(files, allowInsecurePermissions, stamp, keys::use, clock).start();
        return new ServerTls(jsse, p, watch);
    }

    /** Protocols and cipher suites every server socket gets. */
    public SSLParameters parameters() {
        SSLParameters copy = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
        copy.setUseCipherSuitesOrder(true);
        return copy;
    }

    /**
     * The context for the listener: server sockets made by its socket factory get {@link #parameters}, and
     * {@code accepted} learns of each connection (its plain socket) before the handshake begins.
     */
    public SSLContext context(Consumer<Socket> accepted) {
        return new Context(new Spi(jsse, this, accepted), jsse);
    }

    @Override
    public void close() {
        watch.close();
    }

    private static final class Context extends SSLContext {
        Context(SSLContextSpi spi, SSLContext jsse) {
            super(spi, jsse.getProvider(), jsse.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext jsse;
        private final ServerTls tls;
        private final Sockets sockets;

        Spi(SSLContext jsse, ServerTls tls, Consumer<Socket> accepted) {
            this.jsse = jsse;
            this.tls = tls;
            this.sockets = new Sockets(jsse.getSocketFactory(), tls, accepted);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return sockets;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return jsse.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return server(jsse.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return server(jsse.createSSLEngine(host, port));
        }

        private SSLEngine server(SSLEngine engine) {
            engine.setUseClientMode(false);
            engine.setSSLParameters(tls.parameters());
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return jsse.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return jsse.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return tls.parameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return jsse.getSupportedSSLParameters();
        }
    }

    /** Server sockets layered over accepted connections; nothing else (a server makes no client connections). */
    private static final class Sockets extends SSLSocketFactory {
        private final SSLSocketFactory jsse;
        private final ServerTls tls;
        private final Consumer<Socket> accepted;

        Sockets(SSLSocketFactory jsse, ServerTls tls, Consumer<Socket> accepted) {
            this.jsse = jsse;
            this.tls = tls;
            this.accepted = accepted;
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            accepted.accept(s);
            SSLSocket ssl = (SSLSocket) jsse.createSocket(s, consumed, autoClose);
            ssl.setSSLParameters(tls.parameters);  // read, never changed
            return ssl;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.parameters.getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return jsse.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) {
            throw new UnsupportedOperationException("server sockets only");
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("server sockets only");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("server sockets only");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("server sockets only");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("server sockets only");
        }
    }
}
