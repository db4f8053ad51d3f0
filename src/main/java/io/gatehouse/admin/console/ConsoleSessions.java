package io.gatehouse.admin.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's server-side state, in memory and bounded: signed-in sessions (at most {@value #MAX_SESSIONS}, each
 * ending {@link #MAX_AGE} after its sign-in) and sign-ins under way (at most {@value #MAX_PENDING}, for
 * {@link #PENDING_TTL}). When full, the oldest entry goes. A restart signs everyone out of the console (they sign in
 * again through Gatehouse, usually without typing anything).
 */
final class ConsoleSessions {
    static final int MAX_SESSIONS = 1000;
    static final int MAX_PENDING = 1000;
    /** Also the {@code max_age} of the sign-in: an older sign-in must be repeated ({@code prompt=login} after 12 h). */
    static final Duration MAX_AGE = Duration.ofHours(12);
    static final Duration PENDING_TTL = Duration.ofMinutes(10);

    /** A signed-in administrator; {@code flash} is what the next page shows once (a new secret, an outcome). */
    static final class Session {
        final String id;
        final String userId;
        final String username;
        final String csrf;
        final Instant expiresAt;
        private String flash;
        private String secretFor;
        private String secret;

        Session(String id, String userId, String username, String csrf, Instant expiresAt) {
            this.id = id;
            this.userId = userId;
            this.username = username;
            this.csrf = csrf;
            this.expiresAt = expiresAt;
        }

        synchronized void flash(String message) {
            flash = message;
        }

        synchronized Optional<String> takeFlash() {
            Optional<String> f = Optional.ofNullable(flash);
            flash = null;
            return f;
        }

        /** A client secret to show once, on the next page that asks for it. */
        synchronized void secret(String clientId, String value) {
            secretFor = clientId;
            secret = value;
        }

        /** [client id, secret], removed as it is read. */
        synchronized Optional<String[]> takeSecret() {
            Optional<String[]> s = secret == null ? Optional.empty() : Optional.of(new String[]{secretFor, secret});
            secret = null;
            secretFor = null;
            return s;
        }
    }

    /** A sign-in under way: what the callback must see again. */
    record Pending(String state, String verifier, String nonce, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    ConsoleSessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    String randomValue() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    synchronized Pending begin() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expiresAt().isBefore(now));
        trim(pending, MAX_PENDING - 1);
        Pending p = new Pending(randomValue(), randomValue(), randomValue(), now.plus(PENDING_TTL));
        pending.put(p.state(), p);
        return p;
    }

    /** The sign-in of this state, once. */
    synchronized Optional<Pending> finish(String state) {
        Pending p = pending.remove(state);
        return p == null || p.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(p);
    }

    synchronized Session start(String userId, String username, Instant authTime) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expiresAt.isAfter(now));
        trim(sessions, MAX_SESSIONS - 1);
        Session s = new Session(randomValue(), userId, username, randomValue(), authTime.plus(MAX_AGE));
        sessions.put(s.id, s);
        return s;
    }

    synchronized Optional<Session> find(String id) {
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!s.expiresAt.isAfter(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    synchronized void end(String id) {
        sessions.remove(id);
    }

    private static void trim(Map<String, ?> m, int max) {
        Iterator<String> it = m.keySet().iterator();
        while (m.size() > max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
