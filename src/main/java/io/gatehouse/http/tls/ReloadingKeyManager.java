package io.gatehouse.http.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's key manager: it hands every new handshake the credential in use now, and {@link #use} swaps it without
 * a restart (connections already open keep theirs). Each credential gets an alias of its own, and the one it replaced
 * stays known, so that a handshake that chose its alias just before a swap still gets that alias's key and chain.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private record Entry(String alias, TlsCredential credential) {
    }

    private final AtomicLong generation = new AtomicLong();
    private volatile Entry current;
    private volatile Entry previous;

    ReloadingKeyManager(TlsCredential first) {
        use(first);
    }

    /** New handshakes get {@code credential} from now on. */
    synchronized void use(TlsCredential credential) {
        previous = current;
        current = new Entry("gatehouse-" + generation.incrementAndGet(), credential);
    }

    private String choose(String keyType) {
        Entry e = current;
        return e.credential().fits(keyType) ? e.alias() : null;
    }

    private Entry find(String alias) {
        Entry e = current;
        if (e.alias().equals(alias)) return e;
        e = previous;
        return e != null && e.alias().equals(alias) ? e : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = choose(keyType);
        return alias == null ? null : new String[]{alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = find(alias);
        return e == null ? null : e.credential().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = find(alias);
        return e == null ? null : e.credential().key();
    }

    // A server presents no client certificate.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
