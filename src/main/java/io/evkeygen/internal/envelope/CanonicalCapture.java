package io.evkeygen.internal.envelope;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches the bytes of an envelope as the parser reads them, so the reader can insist on the one
 * canonical form without holding the key data: it keeps the bytes before key_data's value and after
 * it (each at most {@link #LIMIT}), and checks the value itself on the fly: only the standard base64
 * alphabet, no line breaks, padding only at the end. {@link #matches} then compares the kept bytes
 * with the frame the writer would produce and the value's length and padding bits with the key data.
 */
final class CanonicalCapture extends FilterInputStream {
    /** Everything but key_data is a few kilobytes; more is not an envelope we wrote. */
    static final int LIMIT = 1 << 20;
    private static final byte[] MARK = "\"key_data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DECODE = new byte[256];

    static {
        Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private enum Phase { PREFIX, BODY, SUFFIX }

    private Phase phase = Phase.PREFIX;
    private byte[] prefix = new byte[4096];
    private int prefixLength;
    private byte[] suffix = new byte[256];
    private int suffixLength;
    private long bodyLength;
    private int padding;
    private int lastValue = -1;
    private boolean bodyOk = true;
    private boolean overflow;

    CanonicalCapture(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            see((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        for (int i = 0; i < n; i++) {
            see(b[off + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** Reads what the parser left (anything after the object is not canonical, but must be seen). */
    void drain() throws IOException {
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
            if (overflow) {
                return;
            }
        }
    }

    private void see(byte b) {
        switch (phase) {
            case PREFIX -> {
                if (prefixLength == LIMIT) {
                    overflow = true;
                    return;
                }
                if (prefixLength == prefix.length) {
                    prefix = Arrays.copyOf(prefix, Math.min(LIMIT, prefix.length * 2));
                }
                prefix[prefixLength++] = b;
                if (endsWithMark()) {
                    phase = Phase.BODY;
                }
            }
            case BODY -> {
                if (b == '"') {
                    phase = Phase.SUFFIX;
                    suffix[suffixLength++] = b;
                    return;
                }
                bodyLength++;
                if (b == '=') {
                    padding++;
                } else if (padding > 0 || DECODE[b & 0xff] < 0) {
                    bodyOk = false; // a line break, another alphabet, data after padding
                } else {
                    lastValue = DECODE[b & 0xff];
                }
            }
            case SUFFIX -> {
                if (suffixLength == LIMIT) {
                    overflow = true;
                    return;
                }
                if (suffixLength == suffix.length) {
                    suffix = Arrays.copyOf(suffix, Math.min(LIMIT, suffix.length * 2));
                }
                suffix[suffixLength++] = b;
            }
        }
    }

    private boolean endsWithMark() {
        if (prefixLength < MARK.length) {
            return false;
        }
        for (int i = 0; i < MARK.length; i++) {
            if (prefix[prefixLength - MARK.length + i] != MARK[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when the bytes seen are exactly {@code frame} around the canonical base64 of {@code binLength} bytes. */
    boolean matches(EnvelopeWriter.Frame frame, long binLength) {
        if (overflow || phase != Phase.SUFFIX || !bodyOk) {
            return false;
        }
        long expectedChars = (binLength + 2) / 3 * 4;
        int expectedPadding = (int) ((3 - binLength % 3) % 3);
        if (bodyLength != expectedChars || padding != expectedPadding) {
            return false;
        }
        // the unused low bits of the last character must be zero (RFC 4648 canonical encoding)
        if ((expectedPadding == 1 && (lastValue & 0x03) != 0) || (expectedPadding == 2 && (lastValue & 0x0f) != 0)) {
            return false;
        }
        return Arrays.equals(prefix, 0, prefixLength, frame.prefix(), 0, frame.prefix().length)
                && Arrays.equals(suffix, 0, suffixLength, frame.suffix(), 0, frame.suffix().length);
    }
}
