package io.evkeygen.internal.random;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) on the JDK's HMAC: the one key-derivation function of the library. The
 * PRNG stream keys ({@link Prng}) and the seeded metadata key both come from it; the Wycheproof
 * vectors and Bouncy Castle's independent HKDF check it in the tests.
 */
public final class Hkdf {
    /** The largest output HKDF-SHA256 defines: 255 blocks of 32 bytes. */
    public static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {}

    /** HKDF-Extract: PRK = HMAC-SHA256(salt, ikm); an empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt.length == 0 ? new byte[32] : salt, ikm);
    }

    /**
     * HKDF-Expand: T(1) || T(2) || ... truncated to {@code length}, T(i) = HMAC(PRK, T(i-1) || info || i).
     *
     * @throws IllegalArgumentException when {@code length} is outside 0..8160
     */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output must be 0.." + MAX_LENGTH + " bytes, not " + length);
        }
        Mac mac = mac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, off = 0; off < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            Arrays.fill(t, (byte) 0);
            t = mac.doFinal();
            int n = Math.min(t.length, length - off);
            System.arraycopy(t, 0, out, off, n);
            off += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** Extract then expand. */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HMAC-SHA256 key rejected", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
