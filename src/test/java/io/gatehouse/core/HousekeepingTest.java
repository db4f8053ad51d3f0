package io.gatehouse.core;

import io.gatehouse.core.port.CodeStore;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.testing.Fakes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

class HousekeepingTest {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    /** A port whose purgeExpired records the cutoff and answers (or throws) what {@code result} gives. */
    static <T> T store(Class<T> port, String name, List<String> calls, Supplier<Integer> result) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (p, m, args) -> {
            if (!m.getName().equals("purgeExpired")) throw new UnsupportedOperationException(m.getName());
            calls.add(name + "@" + args[0]);
            return result.get();
        }));
    }

    @Test
    void purgeUsesNowMinusGraceAndPurgesTokensBeforeGrants() {
        List<String> calls = new ArrayList<>();
        var h = new Housekeeping(store(TokenStore.class, "tokens", calls, () -> 3),
                store(CodeStore.class, "grants", calls, () -> 2), store(SessionStore.class, "sessions", calls, () -> 1),
                new Fakes.MutableClock(NOW));
        assertEquals(new Housekeeping.Purged(3, 2, 1), h.purge());
        Instant cutoff = NOW.minus(Housekeeping.GRACE);
        assertEquals(List.of("tokens@" + cutoff, "grants@" + cutoff, "sessions@" + cutoff), calls);
        assertEquals(6, h.purge().total());
    }

    @Test
    void purgeWhenOneStoreFailsThenOthersStillRunAndTheFailureIsThrown() {
        List<String> calls = new ArrayList<>();
        RuntimeException boom = new IllegalStateException("database down");
        RuntimeException boom2 = new IllegalStateException("still down");
        var h = new Housekeeping(store(TokenStore.class, "tokens", calls, () -> { throw boom; }),
                store(CodeStore.class, "grants", calls, () -> 2),
                store(SessionStore.class, "sessions", calls, () -> { throw boom2; }), new Fakes.MutableClock(NOW));
        RuntimeException thrown = assertThrows(RuntimeException.class, h::purge);
        assertSame(boom, thrown);
        assertArrayEquals(new Throwable[]{boom2}, thrown.getSuppressed());
        assertEquals(3, calls.size());
    }
}
