package io.gatehouse.core;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.port.AttemptCounters;
import io.gatehouse.core.port.AttemptCounters.Window;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits failed client authentications and sign-ins. Failures are counted per account (client id or username, as
 * presented, known or not), per source address (client and user failures together), and per (account, source). When
 * one of the three reaches its limit within its window, attempts that involve it are refused with
 * {@link OAuthError.TooManyAttempts} (429 and Retry-After: until the window ends) <em>before</em> the account is looked
 * up or any secret is hashed. So an attacker at one address gets {@code perAccountSource} guesses per account and
 * {@code perSource} in all per window, a legitimate caller at another address is refused only when the per-account
 * limit across all addresses trips (much higher), and nothing is ever locked for longer than a window.
 *
 * <p>Counters live in the database ({@link AttemptCounters}): one upsert per failure, nothing per success, so every
 * node and a restarted node see the same budget. Admitting an attempt reads the database (one indexed select of at
 * most three rows, next to an Argon2id check that costs a hundred times more); only refusals are answered from this
 * node's memory, from windows it already knows to be full. Attempts in flight count against the budget, so parallel
 * guessing gets no more checks than serial guessing: with {@code n} failures so far and {@code k} attempts in flight
 * for a key, a new attempt is admitted only while {@code n + k < limit}. In-flight attempts are known per node: with
 * several nodes the budget may be overshot by the attempts in flight on the other nodes at that moment.
 *
 * <p>Memory is bounded whatever the input: keys are SHA-256 hashes of what they count (a 64 KB username costs 32 hex
 * characters), this node remembers at most {@link #MAX_TRACKED} windows (the oldest go first; forgetting one only
 * means the next attempt reads it from the database again), and the in-flight table holds only keys with attempts in
 * flight. IPv6 sources are counted per /64, the block one subscriber usually gets.
 */
public final class AttemptLimiter {
    /** Which accounts: client ids and usernames are counted apart (the source address is shared). */
    public enum Kind { CLIENT, USER }

    /**
     * @param window           how long a key's window lasts from its first failure
     * @param perAccountSource failures per (account, source address) per window
     * @param perSource        failures per source address per window, over all accounts
     * @param perAccount       failures per account per window, over all addresses
     */
    public record Limits(Duration window, int perAccountSource, int perSource, int perAccount) {
        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
        public static final int DEFAULT_PER_ACCOUNT_SOURCE = 10;
        public static final int DEFAULT_PER_SOURCE = 50;
        public static final int DEFAULT_PER_ACCOUNT = 200;

        public Limits {
            if (window.toSeconds() < 1) throw new IllegalArgumentException("the attempt window must be at least 1 second");
            if (perAccountSource < 1 || perSource < 1 || perAccount < 1) {
                throw new IllegalArgumentException("attempt limits must be at least 1");
            }
        }

        public static Limits defaults() {
            return new Limits(DEFAULT_WINDOW, DEFAULT_PER_ACCOUNT_SOURCE, DEFAULT_PER_SOURCE, DEFAULT_PER_ACCOUNT);
        }
    }

    public static final String DESCRIPTION = "Too many failed attempts; retry later";
    /** Windows this node remembers at most (about 100 bytes each). */
    static final int MAX_TRACKED = 10_000;
    private static final int PAIR = 0, SOURCE = 1, ACCOUNT = 2;

    private record Known(long startMs, long endMs, int failures) {
    }

    private final AttemptCounters counters;
    private final Limits limits;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Windows known to this node, oldest update first. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, Known> known = new LinkedHashMap<>();
    /** Attempts in flight per key; a key leaves at zero. Guarded by {@link #lock}. */
    private final HashMap<String, Integer> inFlight = new HashMap<>();

    public AttemptLimiter(AttemptCounters counters, Limits limits, Clock clock) {
        this.counters = counters;
        this.limits = limits;
        this.clock = clock;
    }

    /** A limiter with default limits and counters in this process only (tests, wiring without a database). */
    public static AttemptLimiter inMemory(Clock clock) {
        return new AttemptLimiter(AttemptCounters.inMemory(MAX_TRACKED), Limits.defaults(), clock);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * An attempt admitted to be checked. Finish it exactly once: {@link #succeeded()}, {@link #failed()} or
     * {@link #abandoned()} (not checked after all, e.g. the hashing queue was full).
     */
    public final class Attempt {
        private final String[] keys;
        private final boolean alone;
        private boolean done;

        private Attempt(String[] keys, boolean alone) {
            this.keys = keys;
            this.alone = alone;
        }

        /**
         * The hashing lane: HIGH when no other attempt from the same source is in flight on this node, so that a
         * source sending many at once queues behind everyone else, whatever the account.
         */
        public SecretHasher.Priority priority() {
            return alone ? SecretHasher.Priority.HIGH : SecretHasher.Priority.LOW;
        }

        /** The secret was right: nothing is written. */
        public void succeeded() {
            finish();
        }

        /** Not checked after all. */
        public void abandoned() {
            finish();
        }

        /**
         * Counts the failure (one upsert) for the account, the source and both.
         *
         * @return true when this failure made one of them reach its limit
         */
        public boolean failed() {
            if (done) return false;
            done = true;
            Instant now = clock.instant();
            List<Window> after;
            try {
                after = counters.recordFailure(List.of(keys), now, limits.window());
            } catch (RuntimeException e) {
                // Not stored (database unavailable): this node still counts it.
                lock.lock();
                try {
                    for (String k : keys) {
                        Known cur = current(k, now.toEpochMilli());
                        remember(k, cur == null ? new Known(now.toEpochMilli(), now.plus(limits.window()).toEpochMilli(), 1)
                                : new Known(cur.startMs, cur.endMs, cur.failures + 1));
                    }
                    release(keys);
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                merge(after);
                release(keys);
                boolean reached = false;
                for (int i = 0; i < keys.length; i++) {
                    Known k = known.get(keys[i]);
                    if (k != null && k.failures == limit(i)) reached = true;
                }
                return reached;
            } finally {
                lock.unlock();
            }
        }

        private void finish() {
            if (done) return;
            done = true;
            lock.lock();
            try {
                release(keys);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Admits an attempt for {@code account} from {@code source}, or refuses it.
     *
     * @param account the client id or username as presented (any length)
     * @param source  the client's address as the server resolved it
     * @throws OAuthException with {@link OAuthError.TooManyAttempts} when a limit is reached (or would be by the
     *                        attempts already in flight)
     */
    public Attempt begin(Kind kind, String account, String source) {
        String[] keys = keys(kind, account, source);
        refuseIfKnownFull(keys);
        List<Window> stored = counters.find(List.of(keys), clock.instant());
        lock.lock();
        try {
            merge(stored);
            refuseIfFull(keys, clock.millis(), true);
            boolean alone = !inFlight.containsKey(keys[SOURCE]);
            for (String k : keys) inFlight.merge(k, 1, Integer::sum);
            return new Attempt(keys, alone);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses (as {@link #begin}) when this node already knows a limit to be reached, without reading the database
     * and without admitting an attempt: for a request that will share the result of an identical attempt in flight.
     */
    public void checkKnown(Kind kind, String account, String source) {
        refuseIfKnownFull(keys(kind, account, source));
    }

    private void refuseIfKnownFull(String[] keys) {
        lock.lock();
        try {
            refuseIfFull(keys, clock.millis(), false);
        } finally {
            lock.unlock();
        }
    }

    /** Windows this node remembers (bounded by {@link #MAX_TRACKED}). */
    public int tracked() {
        lock.lock();
        try {
            return known.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys with attempts in flight on this node. */
    public int inFlightKeys() {
        lock.lock();
        try {
            return inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    private void refuseIfFull(String[] keys, long now, boolean countInFlight) {
        for (int i = 0; i < keys.length; i++) {
            Known k = current(keys[i], now);
            int failures = k == null ? 0 : k.failures;
            if (failures >= limit(i)) throw tooMany(k.endMs - now);
            if (countInFlight && failures + inFlight.getOrDefault(keys[i], 0) >= limit(i)) {
                throw tooMany(1000);  // the attempts in flight may use up the budget: ask again in a moment
            }
        }
    }

    private int limit(int index) {
        return switch (index) {
            case PAIR -> limits.perAccountSource();
            case SOURCE -> limits.perSource();
            default -> limits.perAccount();
        };
    }

    private static OAuthException tooMany(long millis) {
        long seconds = Math.max(1, (millis + 999) / 1000);
        return new OAuthException(new OAuthError.TooManyAttempts(DESCRIPTION, seconds));
    }

    /** The window of a key this node knows, unless it ended (then it is forgotten). Under the lock. */
    private Known current(String key, long now) {
        Known k = known.get(key);
        if (k != null && k.endMs <= now) {
            known.remove(key);
            return null;
        }
        return k;
    }

    /** Takes in windows read or written: the newer window wins, and in the same window the higher count. */
    private void merge(List<Window> windows) {
        for (Window w : windows) {
            Known fresh = new Known(w.start().toEpochMilli(), w.end().toEpochMilli(), w.failures());
            Known old = known.get(w.key());
            if (old == null || fresh.startMs > old.startMs
                    || (fresh.startMs == old.startMs && fresh.failures > old.failures)) {
                remember(w.key(), fresh);
            }
        }
    }

    private void remember(String key, Known k) {
        known.remove(key);  // re-inserted at the end: the oldest update is evicted first
        known.put(key, k);
        while (known.size() > MAX_TRACKED) known.pollFirstEntry();
    }

    private void release(String[] keys) {
        for (String k : keys) inFlight.computeIfPresent(k, (key, n) -> n <= 1 ? null : n - 1);
    }

    /** The counter keys (pair, source, account): hashes, so their size never depends on the input. */
    static String[] keys(Kind kind, String account, String source) {
        byte[] acct = sha256(account.getBytes(StandardCharsets.UTF_8));
        byte[] src = sourceKey(source).getBytes(StandardCharsets.UTF_8);
        byte k = (byte) (kind == Kind.CLIENT ? 'c' : 'u');
        return new String[]{
                key((byte) 'p', k, acct, src),
                key((byte) 's', (byte) 0, new byte[0], src),
                key((byte) 'a', k, acct, new byte[0])};
    }

    private static String key(byte tag, byte kind, byte[] account, byte[] source) {
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + account.length + 4 + source.length);
        b.put(tag).put(kind).putInt(account.length).put(account).putInt(source.length).put(source);
        return HexFormat.of().formatHex(Arrays.copyOf(sha256(b.array()), 16));
    }

    /**
     * What a source address counts as: the address itself, except IPv6, counted per /64 (one subscriber's block).
     * Anything that is not an IP literal is used as it is, cut to 100 characters.
     */
    public static String sourceKey(String address) {
        if (address.indexOf(':') >= 0) {
            String literal = address;
            int zone = literal.indexOf('%');
            if (zone >= 0) literal = literal.substring(0, zone);
            try {
                InetAddress a = InetAddress.ofLiteral(literal);
                if (a instanceof Inet6Address) {
                    return HexFormat.of().formatHex(Arrays.copyOf(a.getAddress(), 8)) + "::/64";
                }
                return a.getHostAddress();  // IPv4-mapped
            } catch (IllegalArgumentException e) {
                // not an address: as it is
            }
        }
        return address.length() <= 100 ? address : address.substring(0, 100);
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "AttemptLimiter[" + limits + "]";
    }
}
