package io.evkeygen.internal.stream;

import io.evkeygen.keyset.ProgressListener;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Reports EvalKey bytes to a listener as they pass; bulk writes only, as engines write whole polynomials. */
public final class ProgressStream extends FilterOutputStream implements ByteBufferOutput {
    private final long total;
    private final ProgressListener listener;
    private long done;

    public ProgressStream(OutputStream out, long total, ProgressListener listener) {
        super(out);
        this.total = total;
        this.listener = listener;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        listener.evalKeyProgress(++done, total);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        int len = src.remaining();
        if (out instanceof ByteBufferOutput direct) {
            direct.write(src);
        } else {
            byte[] copy = new byte[Math.min(len, 1 << 13)];
            while (src.hasRemaining()) {
                int n = Math.min(copy.length, src.remaining());
                src.get(copy, 0, n);
                out.write(copy, 0, n);
            }
        }
        done += len;
        listener.evalKeyProgress(done, total);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        done += len;
        listener.evalKeyProgress(done, total);
    }
}
