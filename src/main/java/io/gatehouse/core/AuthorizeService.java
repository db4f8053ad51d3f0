package io.gatehouse.core;

import io.gatehouse.core.admin.AdminAccess;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.grant.Pkce;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClaimsParameter;
import io.gatehouse.core.model.ClaimsRequest;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.ConsentStore;
import io.gatehouse.core.token.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The authorization endpoint's use case (RFC 6749 §4.1, OIDC Core §3.1.2, RFC 7636, RFC 9207). First the
 * client and redirect URI are checked: when either is wrong nothing is redirected anywhere. Every other
 * problem is reported to the client's registered redirect URI. Then the session decides: sign in, consent,
 * or a single-use code bound to client, redirect URI, PKCE challenge, nonce, scope, claims request and user.
 */
public final class AuthorizeService {
    public static final Duration CODE_TTL = Duration.ofMinutes(5);
    public static final int MAX_STATE = 4096;
    public static final int MAX_NONCE = 512;
    /** OIDC identity scopes every authorization_code client may ask for without registering them. */
    public static final Set<String> IDENTITY_SCOPES = Set.of("openid", "profile", "email", "phone", "address");
    private static final String RESPONSE_TYPE = "response_type";

    /**
     * What the caller sent, as single values (absent = not sent); {@code repeated} names repeated parameters.
     * {@code request} is a request object by value, {@code requestUri} a reference to one (OIDC Core §6);
     * {@code claims} is the claims parameter (OIDC Core §5.5) as the web layer parsed it.
     */
    public record Request(Optional<String> clientId, Optional<String> redirectUri, Optional<String> responseType,
                          Optional<String> scope, Optional<String> state, Optional<String> nonce,
                          Optional<String> codeChallenge, Optional<String> codeChallengeMethod, Optional<String> prompt,
                          Optional<String> maxAge, Optional<String> loginHint, Optional<String> responseMode,
                          Optional<String> request, Optional<String> requestUri, Set<String> repeated,
                          ClaimsParameter claims) {
        public Request {
            repeated = Set.copyOf(repeated);
            claims = claims == null ? ClaimsParameter.ABSENT : claims;
        }
    }

    /** The result of checking a request: Fatal, an error Redirect, or Valid. */
    public sealed interface Checked {
    }

    /**
     * A request whose every part checked out; {@code claims} holds only the claims this server knows.
     *
     * @param requestObject the parameters of the request object it came in, if it did: what the sign-in and consent
     *                      pages continue with (verified once, so an object that expires meanwhile does not matter)
     */
    public record Valid(Client client, String redirectUri, boolean redirectUriSent, Scope scope, Optional<String> state,
                        Optional<String> nonce, Optional<String> codeChallenge, Set<String> prompt,
                        Optional<Long> maxAge, Optional<String> loginHint, ClaimsRequest claims,
                        Optional<Map<String, String>> requestObject) implements Checked {
        /**
         * What the user consents to: the scope, plus the scopes that release the user claims of the claims request
         * (a claim asked for by name needs the same consent as its scope).
         */
        public Scope consentScope() {
            return new Scope(consentValues(scope, claims));
        }

        static Set<String> consentValues(Scope scope, ClaimsRequest claims) {
            Set<String> all = new LinkedHashSet<>(scope.values());
            all.addAll(UserClaims.scopesOf(claims));
            return all;
        }
    }

    /** What to do next. */
    public sealed interface Outcome {
        /** The client or redirect URI cannot be trusted: show an error page, never redirect. */
        record Fatal(String message) implements Outcome, Checked {
        }

        /** Send the browser to {@code redirectUri} with these query parameters (success or error). */
        record Redirect(String redirectUri, Map<String, String> params) implements Outcome, Checked {
        }

        record Login(Valid request) implements Outcome {
        }

        record Consent(Valid request, User user) implements Outcome {
        }
    }

    private final ClientRepository clients;
    private final CodeStore codes;
    private final ConsentStore consents;
    private final LoginService logins;
    private final RequestObjectVerifier requestObjects;
    private final Acr acr;
    private final String issuer;
    private final Clock clock;
    private final SecureRandom random;

    /** @param acr the acr values of this server's ways of signing in, to refuse an essential acr none of them meets */
    public AuthorizeService(ClientRepository clients, CodeStore codes, ConsentStore consents, LoginService logins,
                            RequestObjectVerifier requestObjects, Acr acr, String issuer, Clock clock,
                            SecureRandom random) {
        this.clients = clients;
        this.codes = codes;
        this.consents = consents;
        this.logins = logins;
        this.requestObjects = requestObjects;
        this.acr = acr;
        this.issuer = issuer;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Checks a request: Fatal (never redirect), an error Redirect, or Valid.
     *
     * <p>A request object ({@code request}) is verified for the client that {@code client_id} names; then only its
     * parameters count (RFC 9101 §5), read by {@code fromObject} as the query's are read. The one exception is
     * {@code response_type}, which OIDC Core §6.1 requires in the query too: taken from there when the object lacks it,
     * and it must match when both have it. When the object cannot be used, the error goes to the redirect URI the
     * query names (if registered) or to the only one registered; with neither, an error page.
     */
    public Checked validate(Request r, Function<Map<String, String>, Request> fromObject) {
        if (r.repeated().contains("client_id") || r.clientId().isEmpty()) {
            return new Outcome.Fatal("The request has no valid client_id.");
        }
        Optional<Client> found = ClientId.isValid(r.clientId().get())
                ? clients.find(new ClientId(r.clientId().get())) : Optional.empty();
        if (found.isEmpty()) return new Outcome.Fatal("Unknown client.");
        Client client = found.get();
        if (r.request().isEmpty() || r.requestUri().isPresent() || r.repeated().contains("request")) {
            return validate(client, r, Optional.empty());
        }
        Map<String, String> object;
        try {
            object = new LinkedHashMap<>(requestObjects.verify(client, r.request().get()));
            Optional<String> queryType = r.responseType().filter(t -> !r.repeated().contains("response_type"));
            if (queryType.isPresent() && !object.computeIfAbsent(RESPONSE_TYPE, k -> queryType.get()).equals(queryType.get())) {
                throw new OAuthException(new OAuthError.InvalidRequestObject(
                        "The request object's response_type differs from the response_type parameter"));
            }
        } catch (OAuthException e) {
            Target t = Target.of(client, r);
            return t.refused() != null ? new Outcome.Fatal("The request object cannot be used (" + e.error().description()
                    + "), and the request names no registered redirect_uri to report that to.")
                    : new ErrorSink(t.redirectUri(), echoedState(r)).of(e.error());
        }
        return validate(client, fromObject.apply(object), Optional.of(Collections.unmodifiableMap(object)));
    }

    private Checked validate(Client client, Request r, Optional<Map<String, String>> requestObject) {
        Target target = Target.of(client, r);
        if (target.refused() != null) return target.refused();
        String redirectUri = target.redirectUri();
        // From here on, errors go back to the client.
        Optional<String> state = echoedState(r);
        ErrorSink err = new ErrorSink(redirectUri, state);
        if (!r.repeated().isEmpty()) {
            return err.of(new OAuthError.InvalidRequest("Parameter '" + r.repeated().iterator().next() + "' is repeated"));
        }
        if (r.state().isPresent() && r.state().get().length() > MAX_STATE) {
            return err.of(new OAuthError.InvalidRequest("state is longer than " + MAX_STATE + " characters"));
        }
        if (r.requestUri().isPresent()) {
            return err.of(r.request().isPresent()
                    ? new OAuthError.InvalidRequest("request and request_uri must not be sent together")
                    : new OAuthError.RequestUriNotSupported("request_uri is not supported: send the request object in request"));
        }
        if (r.responseType().isEmpty()) return err.of(new OAuthError.InvalidRequest("Missing parameter: response_type"));
        if (!r.responseType().get().equals("code")) {
            return err.of(new OAuthError.UnsupportedResponseType("Only response_type=code is supported"));
        }
        if (r.responseMode().isPresent() && !r.responseMode().get().equals("query")) {
            return err.of(new OAuthError.InvalidRequest("Only response_mode=query is supported"));
        }
        if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
            return err.of(new OAuthError.UnauthorizedClient("The client is not allowed to use the authorization code flow"));
        }
        Scope scope;
        try {
            scope = r.scope().map(Scope::parse).orElse(client.scope());
        } catch (IllegalArgumentException e) {
            return err.of(new OAuthError.InvalidScope("The scope parameter is malformed"));
        }
        for (String s : scope.values()) {
            boolean allowed = client.scope().contains(s) || IDENTITY_SCOPES.contains(s)
                    || s.equals("offline_access") && client.refreshTokens();
            if (!allowed) return err.of(new OAuthError.InvalidScope("The requested scope is not allowed for this client"));
        }
        if (r.nonce().isPresent() && r.nonce().get().length() > MAX_NONCE) {
            return err.of(new OAuthError.InvalidRequest("nonce is longer than " + MAX_NONCE + " characters"));
        }
        if (r.codeChallengeMethod().isPresent() && r.codeChallenge().isEmpty()) {
            return err.of(new OAuthError.InvalidRequest("code_challenge_method without code_challenge"));
        }
        if (r.codeChallenge().isPresent()) {
            if (!r.codeChallengeMethod().orElse("plain").equals(Pkce.S256)) {
                return err.of(new OAuthError.InvalidRequest("code_challenge_method must be S256"));
            }
            if (!Pkce.isValidS256Challenge(r.codeChallenge().get())) {
                return err.of(new OAuthError.InvalidRequest("code_challenge is malformed"));
            }
        } else if (client.requirePkce() || client.isPublic()) {
            return err.of(new OAuthError.InvalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256"));
        }
        Set<String> prompt;
        try {
            prompt = Prompt.parse(r.prompt());
        } catch (IllegalArgumentException e) {
            return err.of(new OAuthError.InvalidRequest(e.getMessage()));
        }
        Optional<Long> maxAge = Optional.empty();
        if (r.maxAge().isPresent()) {
            String v = r.maxAge().get();
            if (!v.matches("[0-9]{1,9}")) return err.of(new OAuthError.InvalidRequest("max_age must be a non-negative integer"));
            maxAge = Optional.of(Long.parseLong(v));
        }
        ClaimsRequest claims;
        switch (r.claims()) {
            case ClaimsParameter.Malformed m -> {
                return err.of(new OAuthError.InvalidRequest(m.reason()));
            }
            case ClaimsParameter.Parsed p -> claims = p.request().retain(UserClaims.requestable());
        }
        Set<String> consent = Valid.consentValues(scope, claims);
        if (consent.size() > Scope.MAX_TOKENS || String.join(" ", consent).length() > Scope.MAX_LENGTH) {
            return err.of(new OAuthError.InvalidScope("The scope and the scopes of the claims requested are too long"));
        }
        if (!meetsEssentialAcr(claims)) {
            return err.of(new OAuthError.UnmetAuthenticationRequirements(
                    "No sign-in this server offers meets the essential acr values requested"));
        }
        return new Valid(client, redirectUri, r.redirectUri().isPresent(), scope, state, r.nonce(), r.codeChallenge(),
                prompt, maxAge, r.loginHint().filter(h -> h.length() <= User.MAX_USERNAME), claims, requestObject);
    }

    /** The state to echo on an error redirect: none when repeated or too long. */
    private static Optional<String> echoedState(Request r) {
        return r.repeated().contains("state") ? Optional.empty() : r.state().filter(s -> s.length() <= MAX_STATE);
    }

    /**
     * Where a request may be redirected: the registered redirect URI it names, else the only one registered. Otherwise
     * {@code refused} says why there is nowhere to redirect to (an error page, never a redirect).
     */
    private record Target(String redirectUri, Outcome.Fatal refused) {
        static Target of(Client client, Request r) {
            if (r.repeated().contains("redirect_uri")) return refuse("The redirect_uri parameter is repeated.");
            if (r.redirectUri().isPresent()) {
                return RedirectUris.match(client.redirectUris(), r.redirectUri().get()).map(u -> new Target(u, null))
                        .orElseGet(() -> refuse("The redirect_uri is not registered for this client."));
            }
            return client.redirectUris().size() == 1 ? new Target(client.redirectUris().getFirst(), null)
                    : refuse("The request has no redirect_uri.");
        }

        private static Target refuse(String message) {
            return new Target(null, new Outcome.Fatal(message));
        }
    }

    /**
     * OIDC Core §5.5.1.1: an acr asked for as essential in the ID token with values must be met, else the
     * authentication fails. Sign-in is by password only, so the request fails at once when the password value is not
     * among them. A voluntary acr (or acr_values) is a wish: the ID token then states what really happened.
     */
    private boolean meetsEssentialAcr(ClaimsRequest claims) {
        ClaimsRequest.Claim c = claims.idToken().get("acr");
        return c == null || !c.essential() || c.values().isEmpty() || c.values().contains(acr.password());
    }

    /** Decides the next step for a valid request and the browser's session (if any). */
    public Outcome decide(Valid v, Optional<Session> session) {
        return decide(v, session, session.flatMap(logins::user), false);
    }

    /**
     * {@link #decide} for the session a sign-in has just started for {@code user}, before it is stored: a code is
     * queued, not waited for, and the caller must store the session (a write it waits for, which commits the code
     * with it) before it answers with the code.
     */
    public Outcome decideAtSignIn(Valid v, Session newSession, User user) {
        return decide(v, Optional.of(newSession), Optional.of(user), true);
    }

    private Outcome decide(Valid v, Optional<Session> session, Optional<User> user, boolean deferCode) {
        ErrorSink err = new ErrorSink(v.redirectUri(), v.state());
        Instant now = clock.instant();
        boolean needLogin = user.isEmpty() || v.prompt().contains(Prompt.LOGIN)
                || v.maxAge().isPresent() && (v.maxAge().get() == 0
                        || now.getEpochSecond() - session.get().authTime().getEpochSecond() > v.maxAge().get());
        if (needLogin) {
            return v.prompt().contains(Prompt.NONE)
                    ? err.of(new OAuthError.LoginRequired("The user is not signed in")) : new Outcome.Login(v);
        }
        List<Object> sub = v.claims().valuesOf("sub");
        if (!sub.isEmpty() && !sub.contains(user.get().id())) {
            // OIDC Core §5.5.1: a positive answer only for the user that sub names.
            return err.of(new OAuthError.LoginRequired("The signed-in user is not the one the claims parameter names in sub"));
        }
        if (!AdminAccess.mayBeGranted(user.get(), v.scope())) {
            return err.of(new OAuthError.AccessDenied("The admin scopes are granted only to users with the role admin"));
        }
        if (needsConsent(v, user.get())) {
            return v.prompt().contains(Prompt.NONE)
                    ? err.of(new OAuthError.ConsentRequired("The user has not consented")) : new Outcome.Consent(v, user.get());
        }
        return issueCode(v, user.get(), session.get().authTime(), deferCode);
    }

    /** The user allowed the request on the consent page: remember it. */
    public void allow(Valid v, User user) {
        consents.grant(user.id(), v.client().id(), v.consentScope());
    }

    /** The user denied the request on the consent page. */
    public Outcome.Redirect deny(Valid v) {
        return new ErrorSink(v.redirectUri(), v.state()).of(new OAuthError.AccessDenied("The user denied the request"));
    }

    private boolean needsConsent(Valid v, User user) {
        if (v.prompt().contains(Prompt.CONSENT)) return true;
        if (v.client().firstParty()) return false;
        return consents.find(user.id(), v.client().id()).map(s -> !s.containsAll(v.consentScope())).orElse(true);
    }

    private Outcome issueCode(Valid v, User user, Instant authTime, boolean deferred) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String code = Tokens.random(random, 32);
        AuthorizationCode stored = new AuthorizationCode(Tokens.hash(code), Tokens.random(random, 18), v.client().id(),
                user.id(), v.redirectUri(), v.redirectUriSent(), v.scope(), v.nonce(), v.codeChallenge(), v.claims(),
                authTime, now, now.plus(CODE_TTL));
        if (deferred) {
            codes.saveDeferred(stored);
        } else {
            codes.save(stored);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("code", code);
        v.state().ifPresent(s -> p.put("state", s));
        p.put("iss", issuer);
        return new Outcome.Redirect(v.redirectUri(), p);
    }

    /** Builds RFC 6749 §4.1.2.1 error redirects with state and RFC 9207 iss. */
    private final class ErrorSink {
        private final String redirectUri;
        private final Optional<String> state;

        ErrorSink(String redirectUri, Optional<String> state) {
            this.redirectUri = redirectUri;
            this.state = state;
        }

        Outcome.Redirect of(OAuthError e) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("error", e.code());
            p.put("error_description", e.description());
            state.ifPresent(s -> p.put("state", s));
            p.put("iss", issuer);
            return new Outcome.Redirect(redirectUri, p);
        }
    }
}
