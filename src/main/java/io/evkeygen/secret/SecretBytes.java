package io.evkeygen.secret;

import java.util.Arrays;
import java.util.Objects;

/**
 * The one holder of secret bytes (seeds, key-encryption keys, secret keys, metadata keys). The bytes
 * are reachable only through {@link #reveal()}, the single access gate (grep for it to find every
 * use of secret material); {@link #close()} zeroes them and {@link #toString()} never shows them.
 */
public final class SecretBytes implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean closed;

    private SecretBytes(byte[] owned) {
        this.bytes = owned;
    }

    /** Takes ownership of {@code owned} (not copied): it is zeroed on close. */
    public static SecretBytes wrap(byte[] owned) {
        return new SecretBytes(Objects.requireNonNull(owned, "bytes"));
    }

    /** A copy of {@code bytes}; the caller still owns (and should zero) its array. */
    public static SecretBytes copyOf(byte[] bytes) {
        return new SecretBytes(bytes.clone());
    }

    /**
     * The secret bytes themselves, not a copy, so closing still zeroes them: do not keep the array
     * beyond this handle's life.
     *
     * @throws IllegalStateException once closed
     */
    public byte[] reveal() {
        if (closed) {
            throw new IllegalStateException("secret bytes were closed");
        }
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** An independent copy (closing one does not zero the other). */
    public SecretBytes copy() {
        return copyOf(reveal());
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
