package io.gatehouse.http.endpoint;

import io.gatehouse.core.IntrospectionService;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebResponse;

/**
 * POST /oauth2/introspect (RFC 7662): confidential clients only; inactive tokens, and tokens the caller may not see
 * (see {@link io.gatehouse.core.IntrospectionService}), give exactly {"active":false}.
 */
public final class IntrospectionEndpoint extends TokenFormEndpoint {
    private final IntrospectionService introspection;

    public IntrospectionEndpoint(IntrospectionService introspection) {
        this.introspection = introspection;
    }

    @Override
    WebResponse answer(ClientAuth auth, String token) {
        return WebResponse.json(200, Json.write(introspection.introspect(auth, token))).noStore();
    }
}
