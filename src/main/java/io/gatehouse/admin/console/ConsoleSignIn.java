package io.gatehouse.admin.console;

import io.gatehouse.admin.AdminCommands;
import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientAuth;
import io.gatehouse.core.model.Role;
import io.gatehouse.core.model.TokenCall;
import io.gatehouse.core.model.TokenRequest;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.core.model.User;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Form;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console as an OAuth client of this Gatehouse: {@link #start} sends the browser to the authorization endpoint
 * (client {@value AdminCommands#CONSOLE_CLIENT}, PKCE S256, state bound to a cookie, nonce, {@code max_age} 12 h so
 * an older sign-in is repeated); {@link #callback} redeems the code in-process through the token use case (as the
 * public client, with the verifier) and validates the result like any client would: the access token with the
 * resource-server validator for the admin API audience and scope {@code gatehouse:admin}, the ID token's signature,
 * issuer, audience, nonce and subject. Only then does a console session start.
 */
final class ConsoleSignIn {
    static final String CALLBACK = AdminCommands.CONSOLE_CALLBACK;
    static final String FLOW_COOKIE = "gh_console_flow";

    private final Console.Services services;
    private final ConsoleSessions sessions;
    private final Console console;
    private final String redirectUri;
    private final AccessTokenValidator.Audience adminAudience;

    ConsoleSignIn(Console.Services services, ConsoleSessions sessions, Console console) {
        this.services = services;
        this.sessions = sessions;
        this.console = console;
        this.redirectUri = services.issuer() + CALLBACK;
        this.adminAudience = AccessTokenValidator.Audience.of(AdminAccess.audience(services.issuer()));
    }

    WebResponse start() {
        ConsoleSessions.Pending p = sessions.begin();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", AdminCommands.CONSOLE_CLIENT);
        q.put("redirect_uri", redirectUri);
        q.put("scope", "openid " + AdminAccess.SCOPE);
        q.put("state", p.state());
        q.put("nonce", p.nonce());
        q.put("code_challenge", s256(p.verifier()));
        q.put("code_challenge_method", "S256");
        q.put("max_age", Long.toString(ConsoleSessions.MAX_AGE.toSeconds()));
        WebResponse r = Browser.redirect(303, services.issuer() + "/oauth2/authorize", q);
        // Lax: the callback is reached by a redirect chain that a browser may count as cross-site (another host name)
        return console.setCookie(r, FLOW_COOKIE, p.state(), CALLBACK, "Lax", false);
    }

    WebResponse callback(WebRequest req) {
        Form f;
        try {
            f = Form.parse(req.rawQuery());
        } catch (Form.FormException e) {
            return ConsolePage.plain(400, "Sign-in failed", "The answer of the sign-in is malformed.");
        }
        String state = one(f, "state");
        Optional<String> bound = Console.cookie(req, FLOW_COOKIE);
        if (state.isEmpty() || !Browser.csrfMatches(bound, state)) {
            return ConsolePage.plain(400, "Sign-in expired", "This sign-in was not started in this browser, or took too long.");
        }
        Optional<ConsoleSessions.Pending> p = sessions.finish(state);
        if (p.isEmpty()) return ConsolePage.plain(400, "Sign-in expired", "This sign-in was used already or took too long.");
        if (!one(f, "error").isEmpty()) {
            return one(f, "error").equals("access_denied")
                    ? ConsolePage.plain(403, "Not an administrator", "Only users with the role admin may use the console.")
                    : ConsolePage.plain(400, "Sign-in failed", "The sign-in was not completed (" + one(f, "error") + ").");
        }
        String code = one(f, "code");
        if (code.isEmpty()) return ConsolePage.plain(400, "Sign-in failed", "The answer of the sign-in holds no code.");
        TokenResult t;
        try {
            t = services.tokens().token(new TokenCall(new ClientAuth(AdminCommands.CONSOLE_CLIENT, Optional.empty(),
                    ClientAuth.Method.NONE, req.remoteAddress()),
                    new TokenRequest.AuthorizationCode(code, Optional.of(redirectUri), Optional.of(p.get().verifier()))));
        } catch (OAuthException e) {
            return ConsolePage.plain(400, "Sign-in failed", "The code could not be redeemed: " + e.error().code() + ".");
        }
        Optional<AccessTokenValidator.ValidatedToken> access = services.validator().validate(t.accessToken(), adminAudience);
        if (access.isEmpty() || !AdminAccess.permits(access.get().scope(), true) || access.get().subject().isEmpty()) {
            return ConsolePage.plain(403, "Not an administrator", "Only users with the role admin may use the console.");
        }
        Optional<Map<String, Object>> id = t.idToken().flatMap(j -> services.validator().verifiedClaims(j, "JWT"));
        if (id.isEmpty() || !p.get().nonce().equals(id.get().get("nonce")) || !audienceIsConsole(id.get().get("aud"))
                || !access.get().subject().get().equals(id.get().get("sub"))) {
            return ConsolePage.plain(400, "Sign-in failed", "The ID token of the sign-in is not valid.");
        }
        Optional<User> user = services.users().find(access.get().subject().get());
        if (user.isEmpty() || !user.get().hasRole(Role.ADMIN)) {
            return ConsolePage.plain(403, "Not an administrator", "Only users with the role admin may use the console.");
        }
        Instant authTime = id.get().get("auth_time") instanceof Number n ? Instant.ofEpochSecond(n.longValue())
                : services.clock().instant();
        ConsoleSessions.Session s = sessions.start(user.get().id(), user.get().username(), authTime);
        // The flow cookie stays (the server adapter sends one Set-Cookie per answer); its state is used up already.
        return console.setCookie(ConsolePage.redirect(Console.BASE), Console.COOKIE, s.id, Console.BASE, "Strict", false);
    }

    private static boolean audienceIsConsole(Object aud) {
        return AdminCommands.CONSOLE_CLIENT.equals(aud) || aud instanceof List<?> l && l.contains(AdminCommands.CONSOLE_CLIENT);
    }

    private static String one(Form f, String name) {
        List<String> v = f.all(name);
        return v.size() == 1 ? v.getFirst() : "";
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
