package io.evkeygen.format;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Streaming standard base64 (with padding) into a caller's stream, which it never closes. About
 * twice as fast as {@code Base64.getEncoder().wrap}: it maps 12 input bits to two output chars with
 * one table lookup and writes whole 64 KB blocks. {@link #finish()} writes the last quantum.
 */
final class Base64Stream extends OutputStream {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(US_ASCII);
    /** For each 12-bit value, its two base64 chars (high char in the upper byte). */
    private static final short[] PAIRS = new short[4096];

    static {
        for (int i = 0; i < 4096; i++) {
            PAIRS[i] = (short) ((ALPHABET[i >> 6] << 8) | ALPHABET[i & 63]);
        }
    }

    private static final int OUT_BLOCK = 1 << 16;

    private final OutputStream out;
    private final byte[] buf = new byte[OUT_BLOCK];
    private int pos;
    private final byte[] pending = new byte[3];
    private int npending;
    private long count;

    Base64Stream(OutputStream out) {
        this.out = out;
    }

    /** Input bytes taken so far. */
    long count() {
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
            if (pos + 4 > OUT_BLOCK) {
                flushBuffer();
            }
            int room = (OUT_BLOCK - pos) / 4 * 3;
            int stop = Math.min(end, off + room);
            byte[] o = buf;
            int p = pos;
            for (; off < stop; off += 3) {
                int bits = (b[off] & 0xff) << 16 | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff);
                short hi = PAIRS[bits >>> 12];
                short lo = PAIRS[bits & 0xfff];
                o[p] = (byte) (hi >> 8);
                o[p + 1] = (byte) hi;
                o[p + 2] = (byte) (lo >> 8);
                o[p + 3] = (byte) lo;
                p += 4;
            }
            pos = p;
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Writes the final partial quantum with padding and flushes into the target (left open). */
    void finish() throws IOException {
        if (pos + 4 > OUT_BLOCK) {
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
