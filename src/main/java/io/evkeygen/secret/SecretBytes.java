package io.evkeygen.secret;

import java.util.Arrays;

/**
 * Secret key material behind an explicit accessor. Close it (try-with-resources) to zero the bytes;
 * {@link #toString()} never shows them.
 */
public final class SecretBytes implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean closed;

    /** Takes ownership of {@code bytes} (not copied): they are zeroed on close. */
    public SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The secret bytes themselves, not a copy, so closing still zeroes them: do not keep the array
     * beyond this handle's life.
     *
     * @throws IllegalStateException once closed
     */
    public byte[] revealBytes() {
        if (closed) {
            throw new IllegalStateException("secret bytes were closed");
        }
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Zeroes the bytes; idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "SecretBytes[redacted, " + bytes.length + " bytes]";
    }
}
