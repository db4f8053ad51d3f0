package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.admin.UserAdmin;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.User;
import io.gatehouse.core.grant.Pkce;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcUserStore;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser without JavaScript, over plain java.net.http: keeps the session cookie, reads the hidden CSRF and
 * continue fields from the pages, and drives authorize → login → consent → redirect. One instance = one browser.
 */
public final class OidcFlow {
    public static final String REDIRECT = "https://app.example/cb";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final String base;
    private final String issuer;
    private final Function<HttpRequest.Builder, HttpResponse<String>> transport;
    public String cookie;
    /** Headers sent with every request of this browser (say, X-Forwarded-For to come from another address). */
    public final Map<String, String> headers = new LinkedHashMap<>();

    public OidcFlow(TestServer server) {
        this(server.base, server.base, b -> server.send(b));
    }

    /**
     * A browser talking to any server (another process, one node of several).
     *
     * @param base   where requests go (a node's own address)
     * @param issuer the issuer the redirects must carry in {@code iss} (the same on every node)
     */
    public OidcFlow(String base, String issuer) {
        this(base, issuer, Http::send);
    }

    private OidcFlow(String base, String issuer, Function<HttpRequest.Builder, HttpResponse<String>> transport) {
        this.base = base;
        this.issuer = issuer;
        this.transport = transport;
    }

    /** Users with cheap Argon2 parameters (the hash keeps its parameters, so verification is cheap too). */
    public static UserAdmin users(TestServer server) {
        return users(server.db);
    }

    public static UserAdmin users(Database db) {
        return new UserAdmin(new JdbcUserStore(db), new SecretHasher(1024, 1), Clock.systemUTC(), new SecureRandom());
    }

    public static User addUser(TestServer server, String username, String password) {
        return addUser(server.db, username, password);
    }

    public static User addUser(Database db, String username, String password) {
        return users(db).add(username, password, new UserAdmin.Changes(username + "@example.com", true,
                "Name of " + username, Map.of("locale", "en")));
    }

    /** Sends a request as this browser: cookie attached, Set-Cookie remembered, no redirects followed. */
    public HttpResponse<String> send(HttpRequest.Builder b) {
        if (cookie != null) b.header("Cookie", "gh_session=" + cookie);
        headers.forEach(b::header);
        HttpResponse<String> r = transport.apply(b);
        for (String sc : r.headers().allValues("Set-Cookie")) {
            if (sc.startsWith("gh_session=")) {
                String v = sc.substring("gh_session=".length(), sc.indexOf(';'));
                cookie = v.isEmpty() ? null : v;
            }
        }
        return r;
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public HttpResponse<String> postForm(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> authorize(String query) {
        return get("/oauth2/authorize?" + query);
    }

    /** Submits the page's form (login or consent) with the given fields added to its hidden ones. */
    public HttpResponse<String> submit(HttpResponse<String> page, String action, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(hidden(page.body()));
        all.putAll(fields);
        return postForm(action, encode(all));
    }

    public HttpResponse<String> login(HttpResponse<String> page, String username, String password) {
        return submit(page, "/login", Map.of("username", username, "password", password));
    }

    /** Follows redirects that stay on the server (303 to /oauth2/authorize); returns the first other answer (the client's). */
    public HttpResponse<String> follow(HttpResponse<String> r) {
        for (int i = 0; i < 5 && (r.statusCode() == 302 || r.statusCode() == 303); i++) {
            String loc = r.headers().firstValue("Location").orElseThrow();
            if (!loc.startsWith("/")) return r;
            r = get(loc);
        }
        return r;
    }

    /**
     * The whole front channel: authorize, sign in if asked, allow consent if asked.
     *
     * @return the final redirect to the client
     */
    public HttpResponse<String> authorizeAndApprove(String query, String username, String password) {
        HttpResponse<String> r = authorize(query);
        for (int i = 0; i < 4 && r.statusCode() == 200; i++) {
            if (r.body().contains("name=\"password\"")) {
                r = follow(login(r, username, password));
            } else if (r.body().contains("name=\"decision\"")) {
                r = follow(submit(r, "/consent", Map.of("decision", "allow")));
            } else {
                break;
            }
        }
        // 302 from the authorization endpoint, 303 from the sign-in form that completed it
        assertTrue(r.statusCode() == 302 || r.statusCode() == 303, r.statusCode() + " " + r.body());
        return r;
    }

    /** The code from a successful redirect (checking state and iss on the way). */
    public String code(HttpResponse<String> redirect, Optional<String> state) {
        Map<String, String> p = redirectParams(redirect);
        assertNotNull(p.get("code"), "no code in " + redirect.headers().firstValue("Location").orElse(""));
        assertEquals(issuer, p.get("iss"));
        assertEquals(state.orElse(null), p.get("state"));
        return p.get("code");
    }

    public static Map<String, String> redirectParams(HttpResponse<String> redirect) {
        return params(redirect.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location")));
    }

    /** The decoded query parameters of a URI. */
    public static Map<String, String> params(String loc) {
        int q = loc.indexOf('?');
        Map<String, String> out = new LinkedHashMap<>();
        if (q < 0) return out;
        for (String pair : loc.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    public static Map<String, String> hidden(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) out.put(m.group(1), unescape(m.group(2)));
        return out;
    }

    public static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    public static String encode(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!b.isEmpty()) b.append('&');
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public static String q(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return encode(m);
    }

    /** A standard authorization query for a client (scope openid profile email, state st-1, nonce n-1); extra pairs override. */
    public static String authz(String client, String... extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("response_type", "code");
        m.put("client_id", client);
        m.put("redirect_uri", REDIRECT);
        m.put("scope", "openid profile email");
        m.put("state", "st-1");
        m.put("nonce", "n-1");
        for (int i = 0; i < extra.length; i += 2) m.put(extra[i], extra[i + 1]);
        m.values().removeIf(v -> v == null);
        return encode(m);
    }

    /** A fresh PKCE verifier (43 characters) and its S256 challenge. */
    public static String[] pkce() {
        String verifier = io.gatehouse.core.token.Tokens.random(new SecureRandom(), 32);
        return new String[]{verifier, Pkce.s256(verifier)};
    }

    /** Verifies a JWT against the server's JWKS (any of our algorithms) and returns its claims. */
    public static JWTClaimsSet verify(TestServer server, String jwt, JOSEObjectType type) throws Exception {
        JWKSet jwks = JWKSet.parse(server.get("/jwks").body());
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256,
                JWSAlgorithm.PS256), new ImmutableJWKSet<>(jwks)));
        p.setJWTClaimsSetVerifier(null);
        return p.process(jwt, null);
    }

    public static JsonNode tokenOk(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        return TestServer.json(r);
    }
}
