package io.evkeygen.internal.stream;

import io.evkeygen.secret.SecretBytes;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects decoded secret key data. Unlike ByteArrayOutputStream it keeps every buffer in a
 * {@link SecretBytes}, so each one it drops is zeroed (by SecretBytes, the one place that zeroes).
 */
public final class SecretSink extends OutputStream {
    private SecretBytes buf = SecretBytes.wrap(new byte[2048]);
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        buf.reveal()[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf.reveal(), size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > buf.length()) {
            SecretBytes bigger = SecretBytes.wrap(Arrays.copyOf(buf.reveal(), Math.max(buf.length() * 2, size + more)));
            buf.close();
            buf = bigger;
        }
    }

    /** Hands the bytes over as a secret and zeroes this sink's buffer. */
    public SecretBytes toSecret() {
        SecretBytes exact = SecretBytes.wrap(Arrays.copyOf(buf.reveal(), size));
        buf.close();
        buf = SecretBytes.wrap(new byte[0]);
        size = 0;
        return exact;
    }
}
