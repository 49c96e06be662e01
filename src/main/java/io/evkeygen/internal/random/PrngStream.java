package io.evkeygen.internal.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256-CTR keystream (counter block starts at zero, 128-bit big-endian increment), read as
 * little-endian 64-bit words. The JDK's CTR mode is a HotSpot intrinsic on AES-NI and ARMv8 AES.
 */
public final class PrngStream {
    private static final int CHUNK = 8192;
    private static final byte[] ZEROS = new byte[CHUNK];

    private final Cipher cipher;
    private final byte[] buf = new byte[CHUNK];
    private final ByteBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    private int pos = CHUNK;

    PrngStream(byte[] key) {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        }
    }

    /** The next 64-bit word of the keystream (bytes k..k+7, little-endian). */
    public long nextLong() {
        if (pos == CHUNK) {
            refill();
        }
        long v = view.getLong(pos);
        pos += 8;
        return v;
    }

    /** Fills {@code out} with the next keystream bytes. */
    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (pos == CHUNK) {
                refill();
            }
            out[i] = buf[pos++];
        }
    }

    private void refill() {
        try {
            cipher.update(ZEROS, 0, CHUNK, buf, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        pos = 0;
    }

    /** Zeroes buffered keystream. */
    public void wipe() {
        Arrays.fill(buf, (byte) 0);
        pos = CHUNK;
    }
}
