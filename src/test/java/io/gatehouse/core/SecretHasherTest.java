package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretHasherTest {
    private static final long MIB = 1 << 20;
    private static final int OWASP_KIB = 19 * 1024;

    @Test
    void permitsWhenHeapIsTheServersDefaultThenOneAtATime() {
        assertEquals(1, SecretHasher.permitsFor(64 * MIB, 2, OWASP_KIB));
    }

    @Test
    void permitsWhenDefaultParametersOnTheServersHeapThenTwoAtATime() {
        assertEquals(2, SecretHasher.permitsFor(64 * MIB, 2, 7 * 1024));
    }

    @Test
    void permitsWhenHeapIsLargeThenOnePerCpu() {
        assertEquals(2, SecretHasher.permitsFor(1024 * MIB, 2, OWASP_KIB));
    }

    @Test
    void permitsWhenManyCpusThenBoundedByHalfTheHeap() {
        assertEquals(6, SecretHasher.permitsFor(512 * MIB, 64, OWASP_KIB));
    }

    @Test
    void permitsWhenHeapIsTinyThenStillOne() {
        assertEquals(1, SecretHasher.permitsFor(16 * MIB, 2, OWASP_KIB));
    }

    @Test
    void verifyWhenRightSecretThenTrueElseFalse() {
        SecretHasher hasher = new SecretHasher(64, 1);
        String hash = hasher.hash("s3cret-value");
        assertTrue(hasher.verify("s3cret-value", hash));
        assertFalse(hasher.verify("s3cret-valuf", hash));
        assertFalse(hasher.verify("s3cret-value", "not a hash"));
    }
}
