package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streaming standard base64 (with padding) into a caller's stream, which it never closes; whole
 * 64 KB blocks go through a {@link Base64Encoder} (pure Java or a backend's). {@link #finish()} writes the last quantum.
 */
public final class Base64Stream extends OutputStream {
    private static final byte[] ALPHABET = JavaBase64Encoder.ALPHABET;

    private static final int OUT_BLOCK = 1 << 16;

    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private final byte[] pending = new byte[3];
    private int npending;
    private long count;

    private final Base64Encoder encoder;

    Base64Stream(OutputStream out) {
        this(out, Base64Encoder.JAVA);
    }

    public Base64Stream(OutputStream out, Base64Encoder encoder) {
        this(out, encoder, Long.MAX_VALUE);
    }

    /** For input of about {@code expectedLength} bytes: a small file gets a small buffer (fresh memory is not free). */
    public Base64Stream(OutputStream out, Base64Encoder encoder, long expectedLength) {
        this.out = out;
        this.encoder = encoder;
        this.buf = new byte[(int) Math.max(64, Math.min(OUT_BLOCK, (expectedLength + 2) / 3 * 4))];
    }

    /** Input bytes taken so far. */
    public long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        count++;
        pending[npending++] = (byte) b;
        if (npending == 3) {
            encode(pending, 0, 3);
            npending = 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        count += len;
        while (npending > 0 && npending < 3 && len > 0) {
            pending[npending++] = b[off++];
            len--;
        }
        if (npending == 3) {
            encode(pending, 0, 3);
            npending = 0;
        }
        int whole = len - len % 3;
        encode(b, off, whole);
        for (int i = whole; i < len; i++) {
            pending[npending++] = b[off + i];
        }
    }

    /** Encodes a multiple of 3 bytes. */
    private void encode(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        while (off < end) {
            if (pos + 4 > buf.length) {
                flushBuffer();
            }
            int room = (buf.length - pos) / 4 * 3;
            int stop = Math.min(end, off + room);
            encoder.encodeTriples(b, off, stop - off, buf, pos);
            pos += (stop - off) / 3 * 4;
            off = stop;
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Writes the final partial quantum with padding and flushes into the target (left open). */
    public void finish() throws IOException {
        if (pos + 4 > buf.length) {
            flushBuffer();
        }
        if (npending == 1) {
            int v = (pending[0] & 0xff);
            buf[pos++] = ALPHABET[v >> 2];
            buf[pos++] = ALPHABET[(v & 3) << 4];
            buf[pos++] = '=';
            buf[pos++] = '=';
        } else if (npending == 2) {
            int v = (pending[0] & 0xff) << 8 | (pending[1] & 0xff);
            buf[pos++] = ALPHABET[v >> 10];
            buf[pos++] = ALPHABET[(v >> 4) & 63];
            buf[pos++] = ALPHABET[(v & 15) << 2];
            buf[pos++] = '=';
        }
        npending = 0;
        flushBuffer();
    }

    /** Same as {@link #finish()}: the target stays open. */
    @Override
    public void close() throws IOException {
        finish();
    }
}
