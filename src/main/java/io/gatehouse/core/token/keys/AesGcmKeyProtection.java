package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.StoredKey;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Private keys sealed with AES-256-GCM under a key-encryption key (KEK): a fresh 96-bit random nonce per seal, the
 * kid and algorithm as associated data (a sealed key copied onto another row does not open), stored as
 * {@code gcm1.<base64url nonce>.<base64url ciphertext and 128-bit tag>} with the KEK's {@link #fingerprint} as
 * {@code kek_id}. A plain JWK row (kek_id empty, from before encryption at rest) still opens, so that it can be
 * sealed; a key sealed under another KEK, or one that fails its tag, is a {@link KeyProtection.Failure} naming the kid.
 */
public final class AesGcmKeyProtection implements KeyProtection {
    /** Bytes of a KEK: AES-256. */
    public static final int KEK_BYTES = 32;
    static final String PREFIX = "gcm1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] FINGERPRINT_LABEL = "gatehouse key-encryption key id v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_LABEL = "gatehouse signing key v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec kek;
    private final String kekId;

    private AesGcmKeyProtection(byte[] kek) {
        if (kek.length != KEK_BYTES) {
            throw new IllegalArgumentException("a key-encryption key must be " + KEK_BYTES + " bytes, not " + kek.length);
        }
        this.kek = new SecretKeySpec(kek, "AES");
        this.kekId = fingerprint(kek);
    }

    /** Protection under {@code kek} (32 bytes; copied, so the caller may wipe its array). */
    public static AesGcmKeyProtection of(byte[] kek) {
        return new AesGcmKeyProtection(kek.clone());
    }

    /**
     * The KEK's id as stored in {@code kek_id}: the first 16 hex digits of SHA-256 over a fixed label and the KEK.
     * It tells "sealed under another KEK" from "corrupt", and reveals nothing usable about the KEK.
     */
    public static String fingerprint(byte[] kek) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FINGERPRINT_LABEL);
            return HexFormat.of().formatHex(sha.digest(kek), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Sealed seal(String kid, SigningAlg alg, String privateJwk) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(kid, alg));
            byte[] sealed = c.doFinal(privateJwk.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return new Sealed(PREFIX + b64.encodeToString(nonce) + "." + b64.encodeToString(sealed), Optional.of(kekId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt signing key " + kid + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String open(StoredKey key) {
        if (key.kekId().isEmpty()) return key.privateKey();  // a plain JWK from before encryption at rest
        String wanted = key.kekId().get();
        if (!wanted.equals(kekId)) {
            throw new Failure("signing key " + key.kid() + " is encrypted under KEK id " + wanted
                    + ", but the key-encryption key in use has id " + kekId);
        }
        byte[] nonce;
        byte[] sealed;
        String v = key.privateKey();
        String[] parts = v.startsWith(PREFIX) ? v.substring(PREFIX.length()).split("\\.", -1) : new String[0];
        try {
            if (parts.length != 2) throw new IllegalArgumentException();
            nonce = Base64.getUrlDecoder().decode(parts[0]);
            sealed = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw corrupt(key, "its stored value is not a sealed key");
        }
        if (nonce.length != NONCE_BYTES || sealed.length <= TAG_BITS / 8) {
            throw corrupt(key, "its stored value is not a sealed key");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(key.kid(), key.alg()));
            byte[] plain = c.doFinal(sealed);
            try {
                return new String(plain, StandardCharsets.UTF_8);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw corrupt(key, "it does not decrypt under that KEK (authentication tag mismatch: the row was altered, "
                    + "damaged, or copied from another kid or algorithm)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt signing key " + key.kid() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public Optional<String> kekId() {
        return Optional.of(kekId);
    }

    private Failure corrupt(StoredKey key, String why) {
        return new Failure("signing key " + key.kid() + " (" + key.alg() + ") is corrupt: it is marked as sealed under "
                + "KEK id " + kekId + ", the key-encryption key in use, but " + why + ". Restore the database from a "
                + "backup, or take the key out of use (`gatehouse keys retire " + key.kid() + " --force` if it signs, then "
                + "`gatehouse keys remove " + key.kid() + " --force`)");
    }

    /** The kid and algorithm, length-prefixed so that no two (kid, alg) pairs give the same bytes. */
    private static byte[] associatedData(String kid, SigningAlg alg) {
        byte[] k = kid.getBytes(StandardCharsets.UTF_8);
        byte[] a = alg.name().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(AAD_LABEL.length + 4 + k.length + a.length)
                .put(AAD_LABEL).putInt(k.length).put(k).put(a).array();
    }

    @Override
    public String toString() {
        return "AesGcmKeyProtection[kekId=" + kekId + "]";
    }
}
