package io.gatehouse.core;

import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * User sign-in and browser sessions. An unknown user and a wrong password cost the same Argon2id work and
 * give the same answer. Repeated failures for one username or one address are slowed down (never refused,
 * so nobody can lock a real user out). Sessions live in the database by the hash of the cookie value, so
 * every node sees them; a new random value is issued at every sign-in.
 */
public final class LoginService {
    public static final Duration SESSION_TTL = Duration.ofHours(12);
    public static final int MAX_PASSWORD_LENGTH = 1024;

    /** A new session and the cookie value that refers to it (shown to the browser only). */
    public record NewSession(String cookieValue, Session session) {
        @Override
        public String toString() {
            return "NewSession[" + session + "]";
        }
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final SecretHasher hasher;
    private final Clock clock;
    private final SecureRandom random;
    private final AuditLog audit;
    private final FailureThrottle byUser;
    private final FailureThrottle byAddress;
    private volatile String dummyHash;

    public LoginService(UserStore users, SessionStore sessions, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(users, sessions, hasher, clock, random, AuditLog.none());
    }

    public LoginService(UserStore users, SessionStore sessions, SecretHasher hasher, Clock clock, SecureRandom random,
                        AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
        this.byUser = new FailureThrottle(clock);
        this.byAddress = new FailureThrottle(clock);
    }

    /** Whether the failure throttle slows down the next attempt for this username or this address. */
    public boolean throttled(String username, String address) {
        return !byUser.delayFor("u:" + username).isZero() || !byAddress.delayFor("a:" + address).isZero();
    }

    /** @return the user when the password is right; empty for every failure, after the same work */
    public Optional<User> authenticate(String username, String password, String address) {
        String userKey = "u:" + username;
        String addrKey = "a:" + address;
        boolean throttled = !byUser.delayFor(userKey).isZero() || !byAddress.delayFor(addrKey).isZero();
        byUser.delayIfNeeded(userKey);
        byAddress.delayIfNeeded(addrKey);
        boolean plausible = User.isValidUsername(username) && password.length() <= MAX_PASSWORD_LENGTH;
        Optional<User> user = plausible ? users.findByUsername(username) : Optional.empty();
        // Implausible input (over-long password, malformed username) is checked against the dummy hash with a
        // bounded prefix: the same Argon2id work and the same answer as a wrong password.
        String candidate = password.length() <= MAX_PASSWORD_LENGTH ? password : password.substring(0, MAX_PASSWORD_LENGTH);
        boolean ok = verify(candidate, user.map(User::passwordHash).orElseGet(this::dummyHash)) && user.isPresent() && plausible;
        if (ok) {
            byUser.recordSuccess(userKey);
            audit.loginSucceeded(username, user.get().id(), address);
            return user;
        }
        byUser.recordFailure(userKey);
        byAddress.recordFailure(addrKey);
        audit.loginFailed(username, address, throttled);
        return Optional.empty();
    }

    public NewSession startSession(User user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String value = Tokens.random(random, 32);
        Session s = new Session(Tokens.hash(value), user.id(), now, now.plus(SESSION_TTL));
        sessions.save(s);
        return new NewSession(value, s);
    }

    /** The active session a cookie value refers to. */
    public Optional<Session> session(Optional<String> cookieValue) {
        if (cookieValue.isEmpty() || cookieValue.get().length() > 100) return Optional.empty();
        Instant now = clock.instant();
        return sessions.find(Tokens.hash(cookieValue.get())).filter(s -> s.activeAt(now));
    }

    public Optional<User> user(Session session) {
        return users.find(session.userId());
    }

    public void logout(Optional<String> cookieValue) {
        cookieValue.filter(v -> v.length() <= 100).ifPresent(v -> sessions.delete(Tokens.hash(v)));
    }

    /** A fresh random value for a browser that has no cookie yet (it carries the CSRF secret until sign-in). */
    public String newAnonymousCookie() {
        return Tokens.random(random, 32);
    }

    /**
     * The CSRF token for forms shown to the holder of a cookie: a one-way function of the (HttpOnly) cookie
     * value, so any node can check it and a page that leaks it does not leak the session.
     */
    public static String csrfToken(String cookieValue) {
        return Tokens.hash("csrf\u0000" + cookieValue);
    }

    /** Concurrency is bounded by the shared {@link SecretHasher}. */
    private boolean verify(String password, String hash) {
        return hasher.verify(password, hash);
    }

    /** The hash unknown users are checked against (same work as a wrong password); made on first need. */
    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = hasher.hash("gatehouse-dummy-" + random.nextLong());
            dummyHash = h;
        }
        return h;
    }
}
