package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
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
 * give the same answer. Failures are counted by the {@link AttemptLimiter} per username, per address and per
 * (username, address), in the database: over a limit, sign-ins are refused for the rest of the window (429) before any
 * lookup or hashing. Sessions live in the database by the hash of the cookie value, so every node sees them; a new
 * random value is issued at every sign-in.
 */
public final class LoginService {
    public static final Duration SESSION_TTL = Duration.ofHours(12);
    public static final int MAX_PASSWORD_LENGTH = 1024;
    static final String BUSY = "Too many sign-ins are being checked; retry in a moment";

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
    private final AttemptLimiter limiter;

    public LoginService(UserStore users, SessionStore sessions, SecretHasher hasher, Clock clock, SecureRandom random) {
        this(users, sessions, hasher, clock, random, AuditLog.none());
    }

    public LoginService(UserStore users, SessionStore sessions, SecretHasher hasher, Clock clock, SecureRandom random,
                        AuditLog audit) {
        this(users, sessions, hasher, AttemptLimiter.inMemory(clock), clock, random, audit);
    }

    public LoginService(UserStore users, SessionStore sessions, SecretHasher hasher, AttemptLimiter limiter, Clock clock,
                        SecureRandom random, AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.limiter = limiter;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Checks a sign-in. The attempt limiter comes first: over a limit, nothing is looked up or hashed.
     *
     * @return the user when the password is right; empty for every failure, after the same work
     * @throws OAuthException with {@link OAuthError.TooManyAttempts} when the attempt limiter refuses (429), or
     *                        {@link OAuthError.TemporarilyUnavailable} when the hashing queue is full (503)
     */
    public Optional<User> authenticate(String username, String password, String address) {
        AttemptLimiter.Attempt attempt = limiter.begin(AttemptLimiter.Kind.USER, username, address);
        boolean ok;
        Optional<User> user;
        try {
            boolean plausible = User.isValidUsername(username) && password.length() <= MAX_PASSWORD_LENGTH;
            user = plausible ? users.findByUsername(username) : Optional.empty();
            // Implausible input (over-long password, malformed username) is checked against the dummy hash with a
            // bounded prefix: the same Argon2id work and the same answer as a wrong password.
            String candidate = password.length() <= MAX_PASSWORD_LENGTH ? password : password.substring(0, MAX_PASSWORD_LENGTH);
            String hash = user.map(User::passwordHash).orElseGet(hasher::dummyHash);
            ok = hasher.verify(candidate, hash, attempt.priority()) && user.isPresent() && plausible;
        } catch (SecretHasher.Busy b) {
            attempt.abandoned();
            throw new OAuthException(new OAuthError.TemporarilyUnavailable(BUSY, b.retryAfterSeconds()));
        } catch (RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (ok) {
            attempt.succeeded();
            audit.loginSucceeded(username, user.get().id(), address);
            return user;
        }
        boolean limitReached = attempt.failed();
        audit.loginFailed(username, address, limitReached);
        return Optional.empty();
    }

    /** A new session for the user, with a new cookie value: not stored yet ({@link #storeSession}). */
    public NewSession newSession(User user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String value = Tokens.random(random, 32);
        return new NewSession(value, new Session(Tokens.hash(value), user.id(), now, now.plus(SESSION_TTL)));
    }

    /**
     * Stores a new session (and returns once it is durable); the session the browser's old cookie named (if any) ends
     * in the same write, so a cookie planted before the sign-in never becomes a signed-in one (session fixation).
     */
    public void storeSession(NewSession s, Optional<String> oldCookieValue) {
        sessions.replace(oldCookieValue.filter(v -> v.length() <= 100).map(Tokens::hash), s.session());
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
}
