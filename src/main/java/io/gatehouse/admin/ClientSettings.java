package io.gatehouse.admin;

import io.gatehouse.core.admin.AdminError;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.token.ClientKeys;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A client's settings as an administrator gives them (CLI flags or admin API fields); a null field means "not given".
 * {@link #applyTo} checks every given field and reports each bad one by name ({@link AdminError.Invalid}), the names
 * being the API's field names, or what {@code naming} makes of them (the CLI's flags).
 */
public final class ClientSettings {
    public static final String GRANT_TYPES = "grant_types";
    public static final String SCOPE = "scope";
    public static final String TOKEN_FORMAT = "token_format";
    public static final String ACCESS_TOKEN_TTL = "access_token_ttl";
    public static final String CLAIMS = "claims";
    public static final String SIGNING_ALG = "signing_alg";
    public static final String SCOPE_CLAIM = "scope_claim";
    public static final String AUDIENCE = "audience";
    public static final String REDIRECT_URIS = "redirect_uris";
    public static final String POST_LOGOUT_REDIRECT_URIS = "post_logout_redirect_uris";
    public static final String REQUIRE_PKCE = "require_pkce";
    public static final String REFRESH_TOKENS = "refresh_tokens";
    public static final String FIRST_PARTY = "first_party";
    public static final String ID_TOKEN_TTL = "id_token_ttl";
    public static final String REFRESH_TOKEN_TTL = "refresh_token_ttl";
    public static final String JWT_HEADER_X5T = "jwt_header_x5t";
    public static final String INTROSPECTION = "introspection";
    public static final String JWKS = "jwks";
    public static final String REQUEST_OBJECT_SIGNING_ALG = "request_object_signing_alg";
    /** The longest redirect URI accepted. */
    public static final int MAX_URI_LENGTH = 2000;
    /** The most redirect URIs (or post-logout redirect URIs) a client may register. */
    public static final int MAX_URIS = 50;
    /** The longest audience and claim value accepted. */
    public static final int MAX_VALUE_LENGTH = 2000;
    /** The most extra claims a client may have. */
    public static final int MAX_CLAIMS = 50;

    public List<String> grantTypes;
    public String scope;
    public String tokenFormat;
    public Long accessTokenTtl;
    public Map<String, String> claims;
    public String signingAlg;
    public String scopeClaim;
    /** Empty: none (the issuer). */
    public String audience;
    public List<String> redirectUris;
    public List<String> postLogoutRedirectUris;
    public Boolean requirePkce;
    public Boolean refreshTokens;
    public Boolean firstParty;
    public Long idTokenTtl;
    public Long refreshTokenTtl;
    public Boolean jwtHeaderX5t;
    public Boolean introspection;
    /** A JWK Set as JSON text; empty: none. */
    public String jwks;
    /** Empty: none (any alg its keys verify, never "none"). */
    public String requestObjectSigningAlg;

    private final UnaryOperator<String> naming;

    /** Problems named by the API's field names. */
    public ClientSettings() {
        this(UnaryOperator.identity());
    }

    /** @param naming what a field is called where the values came from (e.g. "redirect_uris" to "--redirect-uri") */
    public ClientSettings(UnaryOperator<String> naming) {
        this.naming = naming;
    }

    /**
     * Applies the given settings to a builder, then checks the combination.
     *
     * @throws AdminException {@link AdminError.Invalid} naming every bad field; the builder is then half-changed
     */
    public void applyTo(Client.Builder b) {
        List<AdminError.FieldProblem> problems = new ArrayList<>();
        field(problems, GRANT_TYPES, grantTypes, v -> {
            Set<GrantType> g = EnumSet.noneOf(GrantType.class);
            for (String s : v) {
                g.add(GrantType.fromWire(s == null ? "" : s.trim()).orElseThrow(() -> bad(GRANT_TYPES,
                        "has an unknown grant (use client_credentials, authorization_code, refresh_token)")));
            }
            if (g.isEmpty()) throw bad(GRANT_TYPES, "needs at least one grant");
            b.grantTypes(g);
        });
        field(problems, SCOPE, scope, v -> {
            try {
                b.scope(Scope.parse(v.trim()));
            } catch (IllegalArgumentException e) {
                throw bad(SCOPE, "must be space-separated scope values (at most " + Scope.MAX_TOKENS + " values, "
                        + Scope.MAX_LENGTH + " characters)");
            }
        });
        field(problems, TOKEN_FORMAT, tokenFormat, v -> b.tokenFormat(parseEnum(TokenFormat.class, v, TOKEN_FORMAT, "jwt or opaque")));
        field(problems, ACCESS_TOKEN_TTL, accessTokenTtl, v -> b.accessTokenTtl(ttl(v, ACCESS_TOKEN_TTL)));
        field(problems, CLAIMS, claims, v -> b.claims(claims(v)));
        field(problems, SIGNING_ALG, signingAlg, v -> b.signingAlg(SigningAlg.fromName(v)
                .orElseThrow(() -> bad(SIGNING_ALG, "must be RS256, ES256, PS256 or EdDSA"))));
        field(problems, SCOPE_CLAIM, scopeClaim, v -> b.scopeClaim(parseEnum(ScopeClaim.class, v, SCOPE_CLAIM, "string or array")));
        field(problems, AUDIENCE, audience, v -> {
            if (v.length() > MAX_VALUE_LENGTH) throw bad(AUDIENCE, "must be at most " + MAX_VALUE_LENGTH + " characters");
            b.audience(v.isEmpty() ? null : v);
        });
        field(problems, REDIRECT_URIS, redirectUris, v -> b.redirectUris(checkedUris(v, REDIRECT_URIS)));
        field(problems, POST_LOGOUT_REDIRECT_URIS, postLogoutRedirectUris,
                v -> b.postLogoutRedirectUris(checkedUris(v, POST_LOGOUT_REDIRECT_URIS)));
        if (requirePkce != null) b.requirePkce(requirePkce);
        if (refreshTokens != null) b.refreshTokens(refreshTokens);
        if (firstParty != null) b.firstParty(firstParty);
        field(problems, ID_TOKEN_TTL, idTokenTtl, v -> b.idTokenTtl(ttl(v, ID_TOKEN_TTL)));
        field(problems, REFRESH_TOKEN_TTL, refreshTokenTtl, v -> b.refreshTokenTtl(ttl(v, REFRESH_TOKEN_TTL)));
        if (jwtHeaderX5t != null) b.jwtHeaderX5t(jwtHeaderX5t);
        if (introspection != null) b.resourceServer(introspection);
        field(problems, JWKS, jwks, v -> {
            if (v.length() > Client.MAX_JWKS_LENGTH) {
                throw bad(JWKS, "must be at most " + Client.MAX_JWKS_LENGTH / 1024 + " KB of JSON");
            }
            b.jwks(v.isBlank() ? null : v);
        });
        field(problems, REQUEST_OBJECT_SIGNING_ALG, requestObjectSigningAlg, v -> b.requestObjectSigningAlg(v.isEmpty() ? null
                : RequestObjectSigningAlg.fromWire(v).orElseThrow(() -> bad(REQUEST_OBJECT_SIGNING_ALG, "must be RS256, "
                + "PS256, ES256, EdDSA or none (HS256 cannot be verified: client secrets are stored only as hashes)"))));
        if (!problems.isEmpty()) throw new AdminException(new AdminError.Invalid(problems));
        // refresh_tokens and the refresh_token grant mean the same thing; keep them in step.
        if (Boolean.TRUE.equals(refreshTokens) || refreshTokens == null && grantTypes != null
                && b.grantTypes.contains(GrantType.REFRESH_TOKEN)) {
            Set<GrantType> g = EnumSet.copyOf(b.grantTypes);
            g.add(GrantType.REFRESH_TOKEN);
            b.grantTypes(g).refreshTokens(true);
        } else if (Boolean.FALSE.equals(refreshTokens) && b.grantTypes.contains(GrantType.REFRESH_TOKEN)) {
            Set<GrantType> g = EnumSet.copyOf(b.grantTypes);
            g.remove(GrantType.REFRESH_TOKEN);
            if (!g.isEmpty()) b.grantTypes(g);
        }
    }

    /**
     * Builds the client, reporting what the combination of settings does not allow by field (a public client with
     * client_credentials, a request object alg without keys, keys that cannot verify it).
     */
    public Client build(Client.Builder b) {
        if (b.secretHash.isEmpty() && b.grantTypes.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw invalid(GRANT_TYPES, "cannot hold client_credentials for a public client (it has no secret)");
        }
        if (b.requestObjectSigningAlg.filter(RequestObjectSigningAlg::signed).isPresent() && b.jwks.isEmpty()) {
            throw invalid(REQUEST_OBJECT_SIGNING_ALG, b.requestObjectSigningAlg.get().wireName()
                    + " needs the client's public keys (a JWK Set in " + naming.apply(JWKS) + ")");
        }
        Client c;
        try {
            c = b.build();
        } catch (IllegalArgumentException e) {
            throw invalid(GRANT_TYPES, e.getMessage());  // the remaining rules of Client: about its grants
        }
        try {
            ClientKeys.check(c);
        } catch (IllegalArgumentException e) {
            throw invalid(JWKS, e.getMessage());
        }
        return c;
    }

    private interface Apply<T> {
        void apply(T value);
    }

    private <T> void field(List<AdminError.FieldProblem> problems, String field, T value, Apply<T> apply) {
        if (value == null) return;
        try {
            apply.apply(value);
        } catch (AdminException e) {
            problems.addAll(((AdminError.Invalid) e.error()).problems());
        } catch (IllegalArgumentException e) {
            problems.add(new AdminError.FieldProblem(field, naming.apply(field) + ": " + e.getMessage()));
        }
    }

    private AdminException bad(String field, String detail) {
        return invalid(field, detail);
    }

    private AdminException invalid(String field, String detail) {
        return AdminException.invalid(field, naming.apply(field) + " " + detail);
    }

    private Duration ttl(long seconds, String field) {
        if (seconds < 1 || seconds > Client.MAX_TTL.toSeconds()) {
            throw bad(field, "must be 1 to " + Client.MAX_TTL.toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private Map<String, String> claims(Map<String, String> v) {
        if (v.size() > MAX_CLAIMS) throw bad(CLAIMS, "must be at most " + MAX_CLAIMS + " claims");
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (Client.RESERVED_CLAIMS.contains(e.getKey())) throw bad(CLAIMS, "must not set '" + e.getKey() + "': it is reserved");
            if (e.getKey().isEmpty() || e.getKey().length() > 100) throw bad(CLAIMS, "names must be 1 to 100 characters");
            if (e.getValue() == null || e.getValue().length() > MAX_VALUE_LENGTH) {
                throw bad(CLAIMS, "values must be strings of at most " + MAX_VALUE_LENGTH + " characters");
            }
        }
        return new LinkedHashMap<>(v);
    }

    /** Absolute URIs without fragments (RFC 6749 §3.1.2); no other normalisation: matching is exact. */
    private List<String> checkedUris(List<String> uris, String field) {
        if (uris.size() > MAX_URIS) throw bad(field, "must be at most " + MAX_URIS + " URIs");
        for (String u : uris) {
            if (u == null || u.length() > MAX_URI_LENGTH) throw bad(field, "must be URIs of at most " + MAX_URI_LENGTH + " characters");
            URI parsed;
            try {
                parsed = new URI(u);
            } catch (Exception e) {
                throw bad(field, "has an invalid URI");
            }
            if (!parsed.isAbsolute() || parsed.getFragment() != null) {
                throw bad(field, "must be absolute URIs without a fragment");
            }
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file")) {
                throw bad(field, "must not use the scheme '" + scheme + "'");
            }
        }
        return List.copyOf(uris);
    }

    private <E extends Enum<E>> E parseEnum(Class<E> type, String v, String field, String allowed) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(field, "must be " + allowed);
        }
    }
}
