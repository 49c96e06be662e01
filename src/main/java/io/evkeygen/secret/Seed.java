package io.evkeygen.secret;

import io.evkeygen.error.KeygenException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 64-byte master seed every random value of a key set derives from (docs/ALGORITHMS.md).
 * A user-given seed makes generation deterministic; otherwise a fresh one comes from the OS's
 * strong entropy. Zero it with {@link #close()} once generation is done. Never printed.
 */
public final class Seed implements AutoCloseable {
    public static final int LENGTH = 64;

    private final SecretBytes bytes;
    private final boolean userSupplied;

    private Seed(byte[] owned, boolean userSupplied) {
        this.bytes = SecretBytes.wrap(owned);
        this.userSupplied = userSupplied;
    }

    /** Copies the first 64 bytes; fewer is a usage error. */
    public static Seed of(byte[] material) {
        if (material == null || material.length < LENGTH) {
            throw KeygenException.usage("seed must be at least 64 bytes, got "
                    + (material == null ? 0 : material.length));
        }
        return new Seed(Arrays.copyOf(material, LENGTH), true);
    }

    /** Parses exactly 128 hex characters. */
    public static Seed fromHex(String hex) {
        String h = hex == null ? "" : hex.trim();
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        if (h.length() != 2 * LENGTH) {
            throw KeygenException.usage(KeygenException.Setting.SEED, "a hex seed must be 128 hex characters (64 bytes), got " + h.length()
                    + " characters");
        }
        byte[] b;
        try {
            b = HexFormat.of().parseHex(h);
        } catch (IllegalArgumentException e) {
            throw KeygenException.usage(KeygenException.Setting.SEED, "the seed is not valid hex: use 128 characters 0-9, a-f");
        }
        return new Seed(b, true);
    }

    /** A fresh seed from the platform's strong entropy source. */
    public static Seed random() {
        byte[] b = new byte[LENGTH];
        try {
            SecureRandom.getInstanceStrong().nextBytes(b);
        } catch (NoSuchAlgorithmException e) {
            new SecureRandom().nextBytes(b);
        }
        return new Seed(b, false);
    }

    /** True when the caller chose the seed (deterministic output). */
    public boolean userSupplied() {
        return userSupplied;
    }

    /** The seed's secret bytes: for key derivation only. */
    public SecretBytes secret() {
        return bytes;
    }

    /** An independent copy (closing one does not zero the other). */
    public Seed copy() {
        return new Seed(bytes.reveal().clone(), userSupplied);
    }

    @Override
    public void close() {
        bytes.close();
    }

    @Override
    public String toString() {
        return "Seed[redacted]";
    }
}
