package io.gatehouse.admin;

import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code serve --demo}: registers, when missing, the clients (and, once users exist, the user) that let
 * a new user replay every request example of the three seed specs with curl, and renders those curl
 * commands. The credentials are the specs' own, well-known demo values: never use them in production.
 * Existing clients are left as they are. What it registers is marked as demo data ({@link Client#demo()},
 * {@link io.gatehouse.core.model.User#demo()}): the next start without {@code --demo} deletes it
 * ({@code store.jdbc.JdbcDemoData}). Demo mode listens on loopback only ({@code ServerConfig}).
 */
public final class DemoSetup {
    public static final String APP_ID = "coupang";
    public static final String APP_KEY = "coupangTest";
    public static final String VISION_ID = "vision-api-user";
    public static final String VISION_SECRET = "abcdefghizklmnopponommnshfghzxxs";
    public static final String OIDC_ID = "oidc-demo";
    public static final String OIDC_SECRET = "oidc-demo-secret";
    public static final String OIDC_REDIRECT = "http://127.0.0.1:8080/callback";

    public static final String USER = "demo";
    public static final String USER_PASSWORD = "demo-password";

    private final ClientAdmin admin;
    private final UserAdmin users;

    public DemoSetup(ClientAdmin admin, UserAdmin users) {
        this.admin = admin;
        this.users = users;
    }

    /** @return the ids of the clients registered now (empty when all existed) */
    public List<String> ensure() {
        Set<ClientId> existing = new java.util.HashSet<>();
        for (Client c : admin.list()) existing.add(c.id());
        List<String> added = new java.util.ArrayList<>();
        add(existing, added, APP_ID, APP_KEY, b -> b.grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS))
                .scope(Scope.of("bailunApi")).scopeClaim(ScopeClaim.ARRAY).jwtHeaderX5t(true));
        add(existing, added, VISION_ID, VISION_SECRET, b -> b.grantTypes(Set.of(GrantType.CLIENT_CREDENTIALS))
                .scope(Scope.of("all")).accessTokenTtl(Duration.ofSeconds(7199))
                .claims(Map.of("firstVisionId", "00000AUNAB")));
        add(existing, added, OIDC_ID, OIDC_SECRET, b -> b
                .grantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN))
                .scope(Scope.of("openid", "profile", "email", "offline_access")).redirectUris(List.of(OIDC_REDIRECT))
                .refreshTokens(true).accessTokenTtl(Duration.ofSeconds(7199)));
        if (ensureDemoUser()) added.add("user " + USER);
        return added;
    }

    private void add(Set<ClientId> existing, List<String> added, String id, String secret, Consumer<Client.Builder> settings) {
        if (existing.contains(new ClientId(id))) return;
        try {
            admin.add(id, Optional.of(secret), false, settings.andThen(b -> b.demo(true)));
            added.add(id);
        } catch (IllegalArgumentException e) {
            // Another node registered it at the same moment: "already exists" is fine; anything else is not.
            if (!e.getMessage().contains("already exists")) throw e;
        }
    }

    /** Registers the seed 002 demo user when missing. @return true when it was added now */
    boolean ensureDemoUser() {
        if (users.list().stream().anyMatch(u -> u.username().equals(USER))) return false;
        try {
            users.add(USER, USER_PASSWORD, new UserAdmin.Changes("demo@example.com", true, "Demo User", Map.of()), true);
            return true;
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().contains("already exists")) throw e;
            return false;
        }
    }

    /** The curl commands replaying every request example of the seeds against {@code base}. */
    public static String instructions(String base) {
        String json = "-H 'Content-Type: application/json'";
        return String.join("\n",
                "Demo mode: replay the seed examples with curl (well-known demo credentials, not for production):",
                "# seed 000, app-key dialect (the spec sends app_secret; app_key works too):",
                "curl -s -X POST " + base + "/oauth/token/get " + json
                        + " -d '{\"app_id\":\"" + APP_ID + "\",\"app_secret\":\"" + APP_KEY + "\"}'",
                "curl -s " + base + "/product",
                "TOKEN=$(curl -s -X POST " + base + "/oauth/token/get " + json
                        + " -d '{\"app_id\":\"" + APP_ID + "\",\"app_key\":\"" + APP_KEY + "\"}'"
                        + " | sed -E 's/.*\"accessToken\":\"Bearer ([^\"]+)\".*/\\1/')",
                "curl -s '" + base + "/product/get?id=1' -H \"Authorization: Bearer $TOKEN\"",
                "# seed 001, json-client-credentials dialect:",
                "curl -s -X POST " + base + "/v1/api/oauth/token " + json + " -d '{\"grant_type\":\"client_credentials\","
                        + "\"scope\":\"all\",\"client_id\":\"" + VISION_ID + "\",\"client_secret\":\"" + VISION_SECRET + "\"}'",
                "# seed 002, standard dialect, authorization code flow (client " + OIDC_ID + "):",
                "#   1. open " + base + "/oauth2/authorize?response_type=code&client_id=" + OIDC_ID + "&redirect_uri="
                        + OIDC_REDIRECT + "&scope=openid%20profile%20email%20offline_access&state=demo",
                "#      and sign in as " + USER + " / " + USER_PASSWORD + " (then Allow)",
                "#   2. take the code from the redirect to " + OIDC_REDIRECT + "?code=CODE&state=demo, then:",
                "curl -s -X POST " + base + "/api/v1/oauth2/token -u " + OIDC_ID + ":" + OIDC_SECRET
                        + " -H 'Content-Type: application/x-www-form-urlencoded'"
                        + " -d 'grant_type=authorization_code&code=CODE&redirect_uri=" + OIDC_REDIRECT + "'");
    }
}
