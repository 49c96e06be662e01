package io.evkeygen;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * One file in memory. For a secret file (SecKey, MetadataKey) every buffer it outgrows is zeroed,
 * and so is its last one once {@link #take()} has copied it out: the only copy left is the caller's.
 */
final class KeyFileCapture extends OutputStream {
    /** The largest array length every JVM allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final boolean secret;
    private byte[] buf = new byte[8192];
    private int count;

    KeyFileCapture(boolean secret) {
        this.secret = secret;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void ensure(int more) {
        if (more <= buf.length - count) {
            return;
        }
        long need = (long) count + more;
        if (need > MAX_ARRAY) {
            throw new OutOfMemoryError("a key file of " + need + " bytes does not fit in one array");
        }
        byte[] grown = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, Math.max(need, 2L * buf.length)));
        wipe();
        buf = grown;
    }

    /** Exactly the bytes written (the buffer itself when it fits exactly). */
    byte[] take() {
        if (count == buf.length) {
            byte[] out = buf;
            buf = new byte[0];
            count = 0;
            return out;
        }
        byte[] out = Arrays.copyOf(buf, count);
        wipe();
        return out;
    }

    /** Zeroes what was written to a secret file; a public one is left (zeroing a 0.5 GB EvalKey buys nothing). */
    void wipe() {
        if (secret) {
            Arrays.fill(buf, 0, count, (byte) 0);
        }
    }

    /** The buffer in use: for tests that check what is zeroed. */
    byte[] buffer() {
        return buf;
    }
}
