package io.gatehouse.core;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;

/**
 * Argon2 hashes in the PHC string format ({@code $argon2id$v=19$m=7168,t=5,p=1$<salt>$<hash>}, standard Base64
 * without padding), computed by BouncyCastle's {@link Argon2BytesGenerator}. The format is the one password4j wrote
 * (the hashes stored before), so both read each other's strings; a password is its UTF-8 bytes.
 *
 * <p>The block matrix (memory cost, e.g. 7 MiB of 1 KiB blocks) comes from the given
 * {@link Argon2BytesGenerator.BlockPool} and goes back to it after the computation (cleared), so a pool kept per hashing
 * thread makes a check allocate almost nothing: no garbage collection of megabytes per check.
 */
final class Argon2Phc {
    /**
     * Sanity bounds for parameters read from a stored string; {@link SecretHasher} bounds the memory cost further by
     * what its heap affords ({@code SecretHasher.storedMemoryLimitKib}).
     */
    static final int MAX_MEMORY_KIB = 4 * 1024 * 1024, MAX_ITERATIONS = 1 << 16, MAX_LANES = 255;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** The parameters and values of one PHC string. */
    record Parsed(int type, int version, int memoryKib, int iterations, int lanes, byte[] salt, byte[] hash) { }

    private Argon2Phc() {
    }

    /**
     * A block pool that hands blocks out in the order they came back (first in, first out), up to {@code maxBlocks}
     * kept. BouncyCastle's {@link Argon2BytesGenerator.FixedBlockPool} is a stack: the generator returns its matrix
     * in index order, so the next check took it reversed and Argon2's sequential pass walked memory backwards every
     * other check, 20-25 % slower on this project's machine (27-30 ms against 33-37 ms for m=19 MiB, t=2). Here a
     * check on its own gets the previous check's matrix in the same order.
     */
    static final class OrderedBlockPool implements Argon2BytesGenerator.BlockPool {
        private final ArrayDeque<Argon2BytesGenerator.Block> blocks = new ArrayDeque<>();
        private final int maxBlocks;

        OrderedBlockPool(int maxBlocks) {
            this.maxBlocks = maxBlocks;
        }

        @Override
        public Argon2BytesGenerator.Block allocate() {
            Argon2BytesGenerator.Block block;
            synchronized (blocks) {
                block = blocks.pollFirst();
            }
            return block != null ? block : new Argon2BytesGenerator.Block();
        }

        @Override
        public void deallocate(Argon2BytesGenerator.Block block) {  // cleared by the generator before it comes back
            synchronized (blocks) {
                if (blocks.size() < maxBlocks) blocks.addLast(block);
            }
        }

        /** Drops every block kept (for the garbage collector). */
        void clear() {
            synchronized (blocks) {
                blocks.clear();
            }
        }

        /** Blocks kept right now. */
        int size() {
            synchronized (blocks) {
                return blocks.size();
            }
        }
    }

    /** A new PHC string for the password with these parameters (version 0x13, Argon2id). */
    static String hash(String password, byte[] salt, int memoryKib, int iterations, int lanes, int outputLength,
                       Argon2BytesGenerator.BlockPool pool) {
        byte[] out = compute(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKib, iterations, lanes,
                salt, utf8(password), outputLength, pool);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + lanes + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(out);
    }

    /**
     * Whether the password matches the stored PHC string (constant-time comparison); false for a malformed string and
     * for one whose memory cost exceeds {@code maxMemoryKib} (not computed).
     */
    static boolean verify(String password, String stored, int maxMemoryKib, Argon2BytesGenerator.BlockPool pool) {
        Parsed p = parse(stored);
        if (p == null || p.memoryKib() > maxMemoryKib) return false;
        byte[] candidate;
        try {
            candidate = utf8(password);
        } catch (IllegalArgumentException e) {
            return false;  // not encodable (a lone surrogate): matches nothing, and no stored password is like it
        }
        byte[] out = compute(p.type, p.version, p.memoryKib, p.iterations, p.lanes, p.salt, candidate, p.hash.length, pool);
        return MessageDigest.isEqual(out, p.hash);
    }

    /** The parts of a PHC Argon2 string, or null when it is not one (or its parameters are out of bounds). */
    static Parsed parse(String s) {
        if (s == null) return null;
        String[] parts = s.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty()) return null;
        int type = switch (parts[1]) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            case "argon2d" -> Argon2Parameters.ARGON2_d;
            default -> -1;
        };
        if (type < 0 || !parts[2].startsWith("v=")) return null;
        try {
            int version = Integer.parseInt(parts[2].substring(2));
            String[] params = parts[3].split(",", -1);
            if (params.length != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=") || !params[2].startsWith("p=")) {
                return null;
            }
            int m = Integer.parseInt(params[0].substring(2));
            int t = Integer.parseInt(params[1].substring(2));
            int lanes = Integer.parseInt(params[2].substring(2));
            byte[] salt = Base64.getDecoder().decode(parts[4]);
            byte[] hash = Base64.getDecoder().decode(parts[5]);
            boolean ok = (version == Argon2Parameters.ARGON2_VERSION_13 || version == Argon2Parameters.ARGON2_VERSION_10)
                    && lanes >= 1 && lanes <= MAX_LANES && m >= 8 * lanes && m <= MAX_MEMORY_KIB
                    && t >= 1 && t <= MAX_ITERATIONS && hash.length >= 4;
            return ok ? new Parsed(type, version, m, t, lanes, salt, hash) : null;
        } catch (IllegalArgumentException e) {  // NumberFormatException too
            return null;
        }
    }

    private static byte[] compute(int type, int version, int memoryKib, int iterations, int lanes, byte[] salt,
                                  byte[] password, int outputLength, Argon2BytesGenerator.BlockPool pool) {
        Argon2Parameters params = new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(lanes).withSalt(salt).withBlockPool(pool).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[outputLength];
        try {
            generator.generateBytes(password, out);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        return out;
    }

    /** UTF-8 bytes, refusing what UTF-8 cannot encode (where String.getBytes would put a '?'). */
    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the secret is not valid Unicode text", e);
        }
    }
}
