package io.evkeygen.internal.engine;

import io.evkeygen.internal.stream.ByteBufferOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/** Writes polynomials and container fields as little-endian bytes through one reusable buffer. */
final class PolyWriter {
    private final OutputStream out;
    private final byte[] buf;
    private final LongBuffer longs;

    PolyWriter(OutputStream out, int n) {
        this.out = out;
        this.buf = new byte[8 * n];
        this.longs = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }

    void poly(long[] a) throws IOException {
        longs.clear();
        longs.put(a);
        out.write(buf, 0, 8 * a.length);
    }

    /** Writes the remaining bytes of src (e.g. native memory) through the reusable buffer. */
    void buffer(ByteBuffer src) throws IOException {
        if (out instanceof ByteBufferOutput direct) {
            direct.write(src);
            return;
        }
        while (src.hasRemaining()) {
            int len = Math.min(src.remaining(), buf.length);
            src.get(buf, 0, len);
            out.write(buf, 0, len);
        }
    }

    void bytes(byte[] b) throws IOException {
        out.write(b);
    }

    void u8(int b) throws IOException {
        out.write(b);
    }
}
