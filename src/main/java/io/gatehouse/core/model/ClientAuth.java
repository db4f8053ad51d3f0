package io.gatehouse.core.model;

import java.util.Optional;

/**
 * The client credentials as presented on the wire, before they are checked, and the address they came from (as the
 * server resolved it: the peer, or the client a trusted proxy named; empty when unknown). The secret is never logged.
 */
public record ClientAuth(String clientId, Optional<String> secret, Method method, String source) {
    public enum Method { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE }

    public ClientAuth {
        if (clientId == null) throw new IllegalArgumentException("client id is required");
        secret = secret == null ? Optional.empty() : secret;
        source = source == null ? "" : source;
    }

    /** Credentials whose source is not known yet (dialects parse them; the endpoint adds the source). */
    public ClientAuth(String clientId, Optional<String> secret, Method method) {
        this(clientId, secret, method, "");
    }

    public ClientAuth withSource(String address) {
        return new ClientAuth(clientId, secret, method, address);
    }

    @Override
    public String toString() {
        return "ClientAuth[clientId=" + clientId + ", method=" + method + ", source=" + source + "]";
    }
}
