package io.gatehouse.http.endpoint;

import io.gatehouse.core.RevocationService;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.http.WebResponse;

/** POST /oauth2/revoke (RFC 7009): 200 with an empty body, also for unknown tokens. */
public final class RevocationEndpoint extends TokenFormEndpoint {
    private final RevocationService revocation;

    public RevocationEndpoint(RevocationService revocation) {
        this.revocation = revocation;
    }

    @Override
    WebResponse answer(ClientAuth auth, String token) {
        revocation.revoke(auth, token);
        return WebResponse.empty(200).noStore();
    }
}
