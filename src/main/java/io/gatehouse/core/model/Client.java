package io.gatehouse.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A registered client. Everything a vendor does differently in behaviour (lifetimes, claims, token
 * format, scope claim shape) is data here, never a branch on the dialect.
 *
 * @param secretHash    Argon2id PHC string of the secret; empty for public clients
 * @param claims        extra claims copied into every access token (string values)
 * @param audience      the {@code aud} of access tokens; empty means the issuer
 * @param redirectUris  registered redirect URIs, compared by exact string
 * @param jwtHeaderX5t  JWTs issued for it carry x5t (the signing key certificate's SHA-1 thumbprint) in their header
 * @param resourceServer a resource server ({@code client add --introspection}): it may introspect access tokens
 *                      whatever their audience; any other client only tokens naming it in {@code aud} or issued to it
 * @param demo          registered by {@code serve --demo} with a well-known secret: deleted by the next start
 *                      without {@code --demo}. Set when the row is inserted; an update never changes it
 * @param jwks          the client's public keys, a JWK Set (RFC 7517) as JSON text: they verify its signed request
 *                      objects. Checked when registered ({@code ClientKeys}), not when loaded
 * @param requestObjectSigningAlg the only algorithm its request objects may use; empty: any that Gatehouse verifies
 *                      with its keys, never {@code none}
 */
public record Client(ClientId id, Optional<String> secretHash, Set<GrantType> grantTypes, Scope scope,
                     TokenFormat tokenFormat, Duration accessTokenTtl, Map<String, String> claims,
                     SigningAlg signingAlg, ScopeClaim scopeClaim, Optional<String> audience,
                     List<String> redirectUris, List<String> postLogoutRedirectUris,
                     boolean requirePkce, boolean refreshTokens, boolean firstParty,
                     Duration idTokenTtl, Duration refreshTokenTtl, Instant createdAt, boolean jwtHeaderX5t,
                     boolean resourceServer, boolean demo, Optional<String> jwks,
                     Optional<RequestObjectSigningAlg> requestObjectSigningAlg) {

    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_ID_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(30);
    public static final Duration MAX_TTL = Duration.ofDays(3650);
    /** The longest JWK Set a client may register, in characters of JSON. */
    public static final int MAX_JWKS_LENGTH = 32 * 1024;

    /** Claims a client may not override: the ones the issuer sets itself. */
    public static final Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti",
            "client_id", "scope", "auth_time", "acr", "amr", "azp", "nonce", "at_hash", "cnf", "typ");

    public Client {
        if (id == null) throw new IllegalArgumentException("client id is required");
        secretHash = secretHash == null ? Optional.empty() : secretHash;
        audience = audience == null ? Optional.empty() : audience;
        jwks = jwks == null ? Optional.empty() : jwks;
        requestObjectSigningAlg = requestObjectSigningAlg == null ? Optional.empty() : requestObjectSigningAlg;
        grantTypes = Set.copyOf(grantTypes);
        claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        if (grantTypes.isEmpty()) throw new IllegalArgumentException("a client needs at least one grant type");
        for (Duration d : List.of(accessTokenTtl, idTokenTtl, refreshTokenTtl)) {
            if (d.isNegative() || d.isZero() || d.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("token lifetimes must be between 1 second and 3650 days");
            }
        }
        for (String k : claims.keySet()) {
            if (RESERVED_CLAIMS.contains(k)) throw new IllegalArgumentException("claim '" + k + "' is reserved");
            if (k.isEmpty() || k.length() > 100) throw new IllegalArgumentException("claim names must be 1 to 100 characters");
        }
        if (jwks.isPresent() && (jwks.get().isBlank() || jwks.get().length() > MAX_JWKS_LENGTH)) {
            throw new IllegalArgumentException("a JWK Set must be 1 to " + MAX_JWKS_LENGTH + " characters");
        }
        if (requestObjectSigningAlg.filter(RequestObjectSigningAlg::signed).isPresent() && jwks.isEmpty()) {
            throw new IllegalArgumentException("request object signing alg " + requestObjectSigningAlg.get().wireName()
                    + " needs the client's public keys (a JWK Set)");
        }
        if (grantTypes.contains(GrantType.CLIENT_CREDENTIALS) && secretHash.isEmpty()) {
            throw new IllegalArgumentException("a public client (no secret) cannot use client_credentials");
        }
    }

    public boolean isPublic() {
        return secretHash.isEmpty();
    }

    public boolean allows(GrantType grantType) {
        return grantTypes.contains(grantType);
    }

    /** A confidential client_credentials client with defaults, as the CLI creates it. */
    public static Builder builder(ClientId id) {
        return new Builder(id);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.secretHash = secretHash;
        b.grantTypes = grantTypes;
        b.scope = scope;
        b.tokenFormat = tokenFormat;
        b.accessTokenTtl = accessTokenTtl;
        b.claims = claims;
        b.signingAlg = signingAlg;
        b.scopeClaim = scopeClaim;
        b.audience = audience;
        b.redirectUris = redirectUris;
        b.postLogoutRedirectUris = postLogoutRedirectUris;
        b.requirePkce = requirePkce;
        b.refreshTokens = refreshTokens;
        b.firstParty = firstParty;
        b.idTokenTtl = idTokenTtl;
        b.refreshTokenTtl = refreshTokenTtl;
        b.createdAt = createdAt;
        b.jwtHeaderX5t = jwtHeaderX5t;
        b.resourceServer = resourceServer;
        b.demo = demo;
        b.jwks = jwks;
        b.requestObjectSigningAlg = requestObjectSigningAlg;
        return b;
    }

    @Override
    public String toString() {
        return "Client[" + id + "]";
    }

    /** Mutable builder for the CLI and tests. */
    public static final class Builder {
        private final ClientId id;
        public Optional<String> secretHash = Optional.empty();
        public Set<GrantType> grantTypes = Set.of(GrantType.CLIENT_CREDENTIALS);
        public Scope scope = Scope.EMPTY;
        public TokenFormat tokenFormat = TokenFormat.JWT;
        public Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;
        public Map<String, String> claims = Map.of();
        public SigningAlg signingAlg = SigningAlg.RS256;
        public ScopeClaim scopeClaim = ScopeClaim.STRING;
        public Optional<String> audience = Optional.empty();
        public List<String> redirectUris = List.of();
        public List<String> postLogoutRedirectUris = List.of();
        public boolean requirePkce;
        public boolean refreshTokens;
        public boolean firstParty;
        public Duration idTokenTtl = DEFAULT_ID_TOKEN_TTL;
        public Duration refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL;
        public Instant createdAt = Instant.EPOCH;
        public boolean jwtHeaderX5t;
        public boolean resourceServer;
        public boolean demo;
        public Optional<String> jwks = Optional.empty();
        public Optional<RequestObjectSigningAlg> requestObjectSigningAlg = Optional.empty();

        private Builder(ClientId id) {
            this.id = id;
        }

        public Builder secretHash(String h) { secretHash = Optional.ofNullable(h); return this; }
        public Builder grantTypes(Set<GrantType> g) { grantTypes = g; return this; }
        public Builder scope(Scope s) { scope = s; return this; }
        public Builder tokenFormat(TokenFormat f) { tokenFormat = f; return this; }
        public Builder accessTokenTtl(Duration d) { accessTokenTtl = d; return this; }
        public Builder claims(Map<String, String> c) { claims = c; return this; }
        public Builder signingAlg(SigningAlg a) { signingAlg = a; return this; }
        public Builder scopeClaim(ScopeClaim s) { scopeClaim = s; return this; }
        public Builder audience(String a) { audience = Optional.ofNullable(a); return this; }
        public Builder redirectUris(List<String> r) { redirectUris = r; return this; }
        public Builder postLogoutRedirectUris(List<String> r) { postLogoutRedirectUris = r; return this; }
        public Builder requirePkce(boolean b) { requirePkce = b; return this; }
        public Builder refreshTokens(boolean b) { refreshTokens = b; return this; }
        public Builder firstParty(boolean b) { firstParty = b; return this; }
        public Builder idTokenTtl(Duration d) { idTokenTtl = d; return this; }
        public Builder refreshTokenTtl(Duration d) { refreshTokenTtl = d; return this; }
        public Builder createdAt(Instant t) { createdAt = t; return this; }
        public Builder jwtHeaderX5t(boolean b) { jwtHeaderX5t = b; return this; }
        public Builder resourceServer(boolean b) { resourceServer = b; return this; }
        public Builder demo(boolean b) { demo = b; return this; }
        public Builder jwks(String j) { jwks = Optional.ofNullable(j); return this; }
        public Builder requestObjectSigningAlg(RequestObjectSigningAlg a) { requestObjectSigningAlg = Optional.ofNullable(a); return this; }

        public Client build() {
            return new Client(id, secretHash, grantTypes, scope, tokenFormat, accessTokenTtl, claims, signingAlg,
                    scopeClaim, audience, redirectUris, postLogoutRedirectUris, requirePkce, refreshTokens,
                    firstParty, idTokenTtl, refreshTokenTtl, createdAt, jwtHeaderX5t, resourceServer, demo, jwks,
                    requestObjectSigningAlg);
        }
    }
}
