package io.gatehouse.core;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hashes stored before (written by password4j 1.8.4) still verify, and password4j accepts the hashes written now: the
 * PHC strings and the password bytes (UTF-8) are the same.
 */
class Argon2PhcTest {
    /** Written by password4j 1.8.4 with the production parameters (7 MiB, 5 passes), password {@link #UNICODE}. */
    private static final String OLD_DEFAULT = "$argon2id$v=19$m=7168,t=5,p=1$3lERQMDzv3jByYh9B5Blhg$DDGlfYe+usGZEHVvaEiGgd0vq/wvi2OidnPvWwpiOkk";
    /** Written by password4j 1.8.4 with the earlier OWASP parameters (19 MiB, 2 passes), password "s3cret". */
    private static final String OLD_OWASP = "$argon2id$v=19$m=19456,t=2,p=1$xoQcqvW5lXg6yp5wHlVgEg$H9Fi5xZxJLP38mqqL0Rr5Emm9a7O50SUQco3hb1mTxk";
    private static final String UNICODE = "correct horse ✓ 😀";

    private static Argon2BytesGenerator.BlockPool pool() {
        return new Argon2BytesGenerator.FixedBlockPool(64);
    }

    @Test
    void verifyWhenHashStoredByPassword4jThenRightPasswordOnly() {
        assertTrue(Argon2Phc.verify(UNICODE, OLD_DEFAULT, Argon2Phc.MAX_MEMORY_KIB, pool()));
        assertFalse(Argon2Phc.verify("correct horse ✓ 😁", OLD_DEFAULT, Argon2Phc.MAX_MEMORY_KIB, pool()));
        assertTrue(Argon2Phc.verify("s3cret", OLD_OWASP, Argon2Phc.MAX_MEMORY_KIB, pool()));
        assertFalse(Argon2Phc.verify("s3creT", OLD_OWASP, Argon2Phc.MAX_MEMORY_KIB, pool()));
    }

    @Test
    void verifyWhenPassword4jHashesWithOtherParametersThenTheyVerifyToo() {
        for (int[] p : new int[][] {{64, 1, 1}, {256, 3, 2}, {100, 2, 1}, {1024, 1, 4}}) {
            var f = Argon2Function.getInstance(p[0], p[1], p[2], 32, Argon2.ID);
            String old = Password.hash(UNICODE).addRandomSalt(16).with(f).getResult();
            assertTrue(Argon2Phc.verify(UNICODE, old, Argon2Phc.MAX_MEMORY_KIB, pool()), old);
            assertFalse(Argon2Phc.verify(UNICODE + " ", old, Argon2Phc.MAX_MEMORY_KIB, pool()), old);
        }
    }

    @Test
    void hashWhenWrittenNowThenPassword4jVerifiesIt() {
        SecretHasher hasher = new SecretHasher();   // the production parameters
        String now = hasher.hash(UNICODE);
        assertTrue(now.startsWith("$argon2id$v=19$m=7168,t=5,p=1$"), now);
        assertTrue(Password.check(UNICODE, now).with(Argon2Function.getInstanceFromHash(now)));
        assertFalse(Password.check(UNICODE + "x", now).with(Argon2Function.getInstanceFromHash(now)));
        assertTrue(hasher.verify(UNICODE, now));
        assertTrue(hasher.verify(UNICODE, OLD_DEFAULT));
    }

    @Test
    void hashWhenSameSaltThenSameStringAsPassword4j() {
        byte[] salt = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String ours = Argon2Phc.hash(UNICODE, salt, 128, 3, 1, 32, pool());
        String theirs = Argon2Function.getInstance(128, 3, 1, 32, Argon2.ID).hash(UNICODE.getBytes(java.nio.charset.StandardCharsets.UTF_8), salt).getResult();
        assertEquals(theirs, ours);
    }

    @Test
    void verifyWhenMalformedThenFalse() {
        for (String s : new String[] {null, "", "not a hash", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA",
                "$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$c2FsdHNhbHQ", "$argon2x$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ",
                "$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ", "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ",
                "$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$c2FsdHNhbHQ", "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ",
                "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ", "$argon2id$v=19$m=64,t=1,p=1$c2Fs!HNhbHQ$c2FsdHNhbHQ",
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$YWI", "x$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHQ"}) {
            assertFalse(Argon2Phc.verify("pw", s, Argon2Phc.MAX_MEMORY_KIB, pool()), String.valueOf(s));
        }
        assertNotNull(Argon2Phc.parse(OLD_DEFAULT));
        assertNull(Argon2Phc.parse("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$YWI"), "a 2-byte hash is too short");
    }

    @Test
    void verifyWhenSecretIsNotUnicodeThenFalseAndNeverLikeAQuestionMark() {
        String stored = Argon2Phc.hash("a?b", new byte[16], 64, 1, 1, 32, pool());
        assertTrue(Argon2Phc.verify("a?b", stored, Argon2Phc.MAX_MEMORY_KIB, pool()));
        assertFalse(Argon2Phc.verify("a\uD800b", stored, Argon2Phc.MAX_MEMORY_KIB, pool()), "a lone surrogate is not encoded as '?'");
    }

    /** A pool that counts the blocks it had to create. */
    private static final class CountingPool implements Argon2BytesGenerator.BlockPool {
        final Argon2BytesGenerator.BlockPool inner;
        final AtomicInteger created = new AtomicInteger();
        final java.util.Set<Argon2BytesGenerator.Block> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        final java.util.List<Argon2BytesGenerator.Block> handedOut = new java.util.ArrayList<>();

        CountingPool(int blocks) {
            inner = new Argon2Phc.OrderedBlockPool(blocks);
        }

        @Override
        public synchronized Argon2BytesGenerator.Block allocate() {
            var b = inner.allocate();
            handedOut.add(b);
            if (seen.add(b)) created.incrementAndGet();
            return b;
        }

        @Override
        public synchronized void deallocate(Argon2BytesGenerator.Block block) {
            inner.deallocate(block);
        }
    }

    @Test
    void verifyWhenPoolKeptThenTheSecondCheckAllocatesNoBlocks() {
        int blocks = Argon2BytesGenerator.getBlockCount(256, 1);   // the matrix and the 4 working blocks
        CountingPool pool = new CountingPool(blocks);
        String stored = Argon2Phc.hash("pw", new byte[16], 256, 2, 1, 32, pool);
        assertEquals(blocks, pool.created.get());
        assertTrue(Argon2Phc.verify("pw", stored, Argon2Phc.MAX_MEMORY_KIB, pool));
        assertFalse(Argon2Phc.verify("pX", stored, Argon2Phc.MAX_MEMORY_KIB, pool));
        assertEquals(blocks, pool.created.get(), "the matrix of the first computation is reused");
        // a stored hash with a larger memory cost than the pool keeps still verifies (the extra blocks are dropped)
        String larger = Argon2Phc.hash("pw", new byte[16], 512, 1, 1, 32, pool);
        assertTrue(Argon2Phc.verify("pw", larger, Argon2Phc.MAX_MEMORY_KIB, pool));
        assertTrue(Argon2Phc.verify("pw", stored, Argon2Phc.MAX_MEMORY_KIB, pool));
    }

    @Test
    void orderedPoolWhenReusedThenTheMatrixComesInTheSameOrder() {
        int blocks = Argon2BytesGenerator.getBlockCount(256, 1);
        CountingPool pool = new CountingPool(blocks);
        String stored = Argon2Phc.hash("pw", new byte[16], 256, 2, 1, 32, pool);
        var first = new java.util.ArrayList<>(pool.handedOut);
        pool.handedOut.clear();
        assertTrue(Argon2Phc.verify("pw", stored, Argon2Phc.MAX_MEMORY_KIB, pool));
        assertEquals(blocks, pool.handedOut.size());
        // The generator takes its working blocks and the matrix in one order and gives them back in another, so the
        // sequence may start elsewhere; what matters is that neighbours stay neighbours in the same direction (a
        // stack pool reverses them: Argon2's sequential pass would then walk memory backwards).
        var position = new java.util.IdentityHashMap<Argon2BytesGenerator.Block, Integer>();
        for (int i = 0; i < blocks; i++) position.put(first.get(i), i);
        int forward = 0;
        for (int i = 0; i + 1 < blocks; i++) {
            if (position.get(pool.handedOut.get(i + 1)) == (position.get(pool.handedOut.get(i)) + 1) % blocks) forward++;
        }
        assertTrue(forward >= blocks - 8, forward + " of " + (blocks - 1) + " neighbours kept their order");
    }

    @Test
    void orderedPoolKeepsAtMostItsCapacity() {
        var pool = new Argon2Phc.OrderedBlockPool(2);
        var a = new Argon2BytesGenerator.Block();
        var b = new Argon2BytesGenerator.Block();
        pool.deallocate(a);
        pool.deallocate(b);
        pool.deallocate(new Argon2BytesGenerator.Block());  // beyond the capacity: dropped
        assertTrue(pool.allocate() == a);
        assertTrue(pool.allocate() == b);
        var fresh = pool.allocate();
        assertFalse(fresh == a || fresh == b, "an empty pool creates a new block");
    }
}
