package io.gatehouse.core.model;

import java.time.Instant;

/** The scopes a user allowed a client, remembered so that consent is asked once. */
public record Consent(String userId, ClientId clientId, Scope scope, Instant grantedAt) {
}
