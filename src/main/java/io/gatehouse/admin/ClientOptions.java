package io.gatehouse.admin;

import io.gatehouse.core.model.Client;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    /** The CLI's name of each setting, for messages. */
    private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry(ClientSettings.GRANT_TYPES, "--grant"),
            Map.entry(ClientSettings.SCOPE, "--scope"), Map.entry(ClientSettings.TOKEN_FORMAT, "--token-format"),
            Map.entry(ClientSettings.ACCESS_TOKEN_TTL, "--access-token-ttl"), Map.entry(ClientSettings.CLAIMS, "--claim"),
            Map.entry(ClientSettings.SIGNING_ALG, "--signing-alg"), Map.entry(ClientSettings.SCOPE_CLAIM, "--scope-claim"),
            Map.entry(ClientSettings.AUDIENCE, "--audience"), Map.entry(ClientSettings.REDIRECT_URIS, "--redirect-uri"),
            Map.entry(ClientSettings.POST_LOGOUT_REDIRECT_URIS, "--post-logout-redirect-uri"),
            Map.entry(ClientSettings.ID_TOKEN_TTL, "--id-token-ttl"), Map.entry(ClientSettings.REFRESH_TOKEN_TTL, "--refresh-token-ttl"),
            Map.entry(ClientSettings.JWKS, "--jwks-json"),
            Map.entry(ClientSettings.REQUEST_OBJECT_SIGNING_ALG, "--request-object-signing-alg"));

    /** The given options as settings whose problems name the flags; reads the --jwks-file. */
    ClientSettings settings() {
        ClientSettings s = new ClientSettings(field -> FLAGS.getOrDefault(field, field));
        s.grantTypes = grants;
        s.scope = scope;
        s.tokenFormat = tokenFormat;
        s.accessTokenTtl = accessTokenTtl;
        s.claims = claims;
        s.signingAlg = signingAlg;
        s.scopeClaim = scopeClaim;
        s.audience = audience;
        s.redirectUris = redirectUris;
        s.postLogoutRedirectUris = postLogoutRedirectUris;
        s.requirePkce = requirePkce;
        s.refreshTokens = refreshTokens;
        s.firstParty = firstParty;
        s.idTokenTtl = idTokenTtl;
        s.refreshTokenTtl = refreshTokenTtl;
        s.jwtHeaderX5t = jwtHeaderX5t;
        s.introspection = introspection;
        if (jwksFile != null && jwksJson != null) throw new IllegalArgumentException("give --jwks-file or --jwks-json, not both");
        s.jwks = jwksFile != null ? readJwks(jwksFile) : jwksJson;
        s.requestObjectSigningAlg = requestObjectSigningAlg;
        return s;
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
}
