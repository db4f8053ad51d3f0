package io.gatehouse.admin;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Client settings shared by `client add` and `client update`; a null field means "not given". */
public final class ClientOptions {
    @Option(names = "--grant", split = ",", paramLabel = "GRANT",
            description = "Allowed grants: client_credentials, authorization_code, refresh_token (comma-separated).")
    List<String> grants;
    @Option(names = "--scope", paramLabel = "\"a b\"", description = "Scopes the client may have (space-separated).")
    String scope;
    @Option(names = "--token-format", paramLabel = "jwt|opaque", description = "Access token format (default jwt).")
    String tokenFormat;
    @Option(names = "--access-token-ttl", paramLabel = "SECONDS", description = "Access token lifetime (default 3600).")
    Long accessTokenTtl;
    @Option(names = "--claim", paramLabel = "key=value", description = "Extra access token claim (repeatable; replaces all on update).")
    Map<String, String> claims;
    @Option(names = "--signing-alg", paramLabel = "ALG", description = "RS256 (default), ES256, PS256 or EdDSA.")
    String signingAlg;
    @Option(names = "--scope-claim", paramLabel = "string|array", description = "Shape of the JWT scope claim (default string).")
    String scopeClaim;
    @Option(names = "--audience", paramLabel = "AUD", description = "aud of access tokens (default: the issuer).")
    String audience;
    @Option(names = "--redirect-uri", paramLabel = "URI", description = "Registered redirect URI (repeatable; replaces all on update).")
    List<String> redirectUris;
    @Option(names = "--post-logout-redirect-uri", paramLabel = "URI", description = "Registered post-logout redirect URI (repeatable).")
    List<String> postLogoutRedirectUris;
    @Option(names = "--require-pkce", negatable = true, description = "Require PKCE (always on for public clients).")
    Boolean requirePkce;
    @Option(names = "--refresh-tokens", negatable = true, description = "Issue refresh tokens (off by default).")
    Boolean refreshTokens;
    @Option(names = "--first-party", negatable = true, description = "Skip the consent page.")
    Boolean firstParty;
    @Option(names = "--id-token-ttl", paramLabel = "SECONDS", description = "ID token lifetime (default 3600).")
    Long idTokenTtl;
    @Option(names = "--refresh-token-ttl", paramLabel = "SECONDS", description = "Refresh token lifetime (default 2592000).")
    Long refreshTokenTtl;
    @Option(names = "--jwt-header-x5t", negatable = true,
            description = "Put x5t (the signing key certificate's SHA-1 thumbprint) in the header of its JWTs.")
    Boolean jwtHeaderX5t;
    @Option(names = "--introspection", negatable = true, description = "A resource server: may introspect access tokens "
            + "of any audience (otherwise only those naming it in aud, or issued to it).")
    Boolean introspection;
    @Option(names = "--jwks-file", paramLabel = "FILE", description = "The client's public keys, a JWK Set (JSON, at most "
            + "32 KB, public members only): they verify its signed request objects.")
    Path jwksFile;
    @Option(names = "--jwks-json", paramLabel = "JSON", description = "The same JWK Set given inline; '' removes the keys.")
    String jwksJson;
    @Option(names = "--request-object-signing-alg", paramLabel = "ALG", description = "The only alg its request objects "
            + "may use: RS256, PS256, ES256, EdDSA, or none (unsigned); '' removes it (then any alg its keys verify, never none).")
    String requestObjectSigningAlg;

    /** Applies the given options to a builder; throws IllegalArgumentException with a clear message. */
    void applyTo(Client.Builder b) {
        if (grants != null) {
            Set<GrantType> g = EnumSet.noneOf(GrantType.class);
            for (String s : grants) {
                g.add(GrantType.fromWire(s.trim()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown grant '" + s + "' (use client_credentials, authorization_code, refresh_token)")));
            }
            b.grantTypes(g);
        }
        if (scope != null) b.scope(Scope.parse(scope.trim()));
        if (tokenFormat != null) b.tokenFormat(parseEnum(TokenFormat.class, tokenFormat, "--token-format"));
        if (accessTokenTtl != null) b.accessTokenTtl(Duration.ofSeconds(accessTokenTtl));
        if (claims != null) b.claims(new LinkedHashMap<>(claims));
        if (signingAlg != null) b.signingAlg(SigningAlg.fromName(signingAlg).orElseThrow(() ->
                new IllegalArgumentException("--signing-alg must be RS256, ES256, PS256 or EdDSA")));
        if (scopeClaim != null) b.scopeClaim(parseEnum(ScopeClaim.class, scopeClaim, "--scope-claim"));
        if (audience != null) b.audience(audience.isEmpty() ? null : audience);
        if (redirectUris != null) b.redirectUris(checkedUris(redirectUris, "--redirect-uri"));
        if (postLogoutRedirectUris != null) b.postLogoutRedirectUris(checkedUris(postLogoutRedirectUris, "--post-logout-redirect-uri"));
        if (requirePkce != null) b.requirePkce(requirePkce);
        if (refreshTokens != null) b.refreshTokens(refreshTokens);
        // --refresh-tokens and the refresh_token grant mean the same thing; keep them in step.
        if (Boolean.TRUE.equals(refreshTokens) || refreshTokens == null && grants != null
                && b.grantTypes.contains(GrantType.REFRESH_TOKEN)) {
            Set<GrantType> g = EnumSet.copyOf(b.grantTypes);
            g.add(GrantType.REFRESH_TOKEN);
            b.grantTypes(g).refreshTokens(true);
        } else if (Boolean.FALSE.equals(refreshTokens) && b.grantTypes.contains(GrantType.REFRESH_TOKEN)) {
            Set<GrantType> g = EnumSet.copyOf(b.grantTypes);
            g.remove(GrantType.REFRESH_TOKEN);
            if (!g.isEmpty()) b.grantTypes(g);
        }
        if (firstParty != null) b.firstParty(firstParty);
        if (idTokenTtl != null) b.idTokenTtl(Duration.ofSeconds(idTokenTtl));
        if (refreshTokenTtl != null) b.refreshTokenTtl(Duration.ofSeconds(refreshTokenTtl));
        if (jwtHeaderX5t != null) b.jwtHeaderX5t(jwtHeaderX5t);
        if (introspection != null) b.resourceServer(introspection);
        if (jwksFile != null && jwksJson != null) throw new IllegalArgumentException("give --jwks-file or --jwks-json, not both");
        if (jwksFile != null) b.jwks(readJwks(jwksFile));
        if (jwksJson != null) b.jwks(jwksJson.isEmpty() ? null : jwksJson);
        if (requestObjectSigningAlg != null) {
            b.requestObjectSigningAlg(requestObjectSigningAlg.isEmpty() ? null : RequestObjectSigningAlg.fromWire(requestObjectSigningAlg)
                    .orElseThrow(() -> new IllegalArgumentException("--request-object-signing-alg must be RS256, PS256, ES256, "
                            + "EdDSA or none (HS256 cannot be verified: client secrets are stored only as hashes)")));
        }
    }

    /** A JWK Set file: at most {@link Client#MAX_JWKS_LENGTH} bytes of UTF-8 (its keys are checked with the client). */
    static String readJwks(Path file) {
        try {
            if (Files.size(file) > Client.MAX_JWKS_LENGTH) {
                throw new IllegalArgumentException("--jwks-file: larger than " + Client.MAX_JWKS_LENGTH / 1024 + " KB");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--jwks-file: not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("--jwks-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Absolute URIs without fragments (RFC 6749 §3.1.2); no other normalisation: matching is exact. */
    static List<String> checkedUris(List<String> uris, String flag) {
        for (String u : uris) {
            URI parsed;
            try {
                parsed = new URI(u);
            } catch (Exception e) {
                throw new IllegalArgumentException(flag + ": not a valid URI");
            }
            if (!parsed.isAbsolute() || parsed.getFragment() != null || u.length() > 2000) {
                throw new IllegalArgumentException(flag + " must be an absolute URI without a fragment");
            }
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file")) {
                throw new IllegalArgumentException(flag + ": scheme '" + scheme + "' is not allowed");
            }
        }
        return List.copyOf(uris);
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String v, String flag) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": unknown value '" + v + "'");
        }
    }
}
