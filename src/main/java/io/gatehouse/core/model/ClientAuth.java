package io.gatehouse.core.model;

import java.util.Optional;

/** The client credentials as presented on the wire, before they are checked. The secret is never logged. */
public record ClientAuth(String clientId, Optional<String> secret, Method method) {
    public enum Method { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE }

    public ClientAuth {
        if (clientId == null) throw new IllegalArgumentException("client id is required");
        secret = secret == null ? Optional.empty() : secret;
    }

    @Override
    public String toString() {
        return "ClientAuth[clientId=" + clientId + ", method=" + method + "]";
    }
}
