package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The files that turn the public listener into https: a PEM certificate (the server's first, then any
 * intermediates) and its PEM private key. They are read at start and again whenever they change.
 *
 * @param certificate config key {@code tls-cert}, flag {@code --tls-cert}, env {@code GATEHOUSE_TLS_CERT}
 * @param privateKey  config key {@code tls-key}, flag {@code --tls-key}, env {@code GATEHOUSE_TLS_KEY}
 */
public record TlsFiles(Path certificate, Path privateKey) {
    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Both files, or neither (plain http).
     *
     * @throws IllegalArgumentException when only one is given, or one is empty
     */
    public static Optional<TlsFiles> of(String certificate, String privateKey) {
        if (certificate == null && privateKey == null) return Optional.empty();
        if (certificate == null || privateKey == null) {
            throw new IllegalArgumentException("tls-cert and tls-key go together: give both the certificate and the "
                    + "private key file (--tls-cert FILE --tls-key FILE), or neither for plain http");
        }
        if (certificate.isBlank()) throw new IllegalArgumentException("tls-cert is empty");
        if (privateKey.isBlank()) throw new IllegalArgumentException("tls-key is empty");
        return Optional.of(new TlsFiles(Path.of(certificate), Path.of(privateKey)));
    }

    @Override
    public String toString() {
        return "certificate " + certificate + ", private key " + privateKey;
    }
}
