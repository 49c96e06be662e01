package io.evkeygen.internal.stream;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.io.OutputStream;

/** Captures a writer's output into an array of the exact expected size; any other size is an engine bug. */
public final class ExactBytes extends OutputStream {
    private final byte[] buf;
    private final String what;
    private int pos;

    private ExactBytes(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    public interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static byte[] capture(long length, String what, Producer producer) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new KeygenException(KeygenException.Kind.FAILURE,
                    what + " is " + length + " bytes, too large to hold in memory: write it to a directory");
        }
        ExactBytes out = new ExactBytes(new byte[(int) length], what);
        producer.writeTo(out);
        if (out.pos != length) {
            throw wrongLength(what, out.pos, length);
        }
        return out.buf;
    }

    public static KeygenException wrongLength(String what, long got, long expected) {
        return new KeygenException(KeygenException.Kind.FAILURE,
                "engine wrote " + (got > expected ? "more than " + expected : got) + " bytes of " + what
                        + ", expected " + expected);
    }

    @Override
    public void write(int b) {
        if (pos >= buf.length) {
            throw wrongLength(what, pos + 1L, buf.length);
        }
        buf[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len > buf.length - pos) {
            throw wrongLength(what, (long) pos + len, buf.length);
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }
}
