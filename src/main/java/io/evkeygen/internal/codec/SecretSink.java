package io.evkeygen.internal.codec;

import io.evkeygen.secret.SecretBytes;
import java.io.OutputStream;
import java.util.Arrays;

/** Collects decoded secret key data; unlike ByteArrayOutputStream it zeroes every buffer it drops. */
public final class SecretSink extends OutputStream {
    private byte[] buf = new byte[2048];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            Arrays.fill(buf, (byte) 0);
            buf = bigger;
        }
    }

    /** Hands the bytes over as a secret and zeroes this sink's buffer. */
    public SecretBytes toSecret() {
        byte[] exact = Arrays.copyOf(buf, size);
        Arrays.fill(buf, (byte) 0);
        size = 0;
        return SecretBytes.wrap(exact);
    }
}
