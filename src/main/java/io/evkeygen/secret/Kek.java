package io.evkeygen.secret;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A 32-byte key-encryption key. Close it to zero the bytes; {@link #toString()} never shows them.
 */
public final class Kek implements AutoCloseable {
    public static final int LENGTH = 32;

    private final SecretBytes bytes;

    private Kek(byte[] owned) {
        this.bytes = SecretBytes.wrap(owned);
    }

    /** A copy of exactly 32 bytes. */
    public static Kek of(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw KeygenException.usage("key-encryption key must be 32 bytes, got "
                    + (key == null ? 0 : key.length));
        }
        return new Kek(key.clone());
    }

    /**
     * Reads a KEK as the reference CLI does: fewer than 32 bytes is an error; more are reported to
     * {@code warn} and only the first 32 are used. Reads at most 33 bytes.
     */
    public static Kek read(InputStream in, String source, Consumer<String> warn) throws IOException {
        byte[] buf = new byte[LENGTH + 1];
        try {
            int n = in.readNBytes(buf, 0, buf.length);
            if (n < LENGTH) {
                throw KeygenException.usage("key-encryption key from " + source + " must be 32 bytes, got " + n);
            }
            if (n > LENGTH && warn != null) {
                warn.accept("key-encryption key from " + source + " is longer than 32 bytes: using the first 32");
            }
            return new Kek(Arrays.copyOf(buf, LENGTH));
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    /** Reads a KEK file (see {@link #read(InputStream, String, Consumer)}). */
    public static Kek readFile(Path file, Consumer<String> warn) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), warn);
        } catch (NoSuchFileException e) {
            // a missing file is an i/o error (exit 5), like every other missing file the user names
            throw new KeygenException(KeygenException.Kind.IO, "key-encryption key file " + file + " does not exist");
        }
    }

    /** The key's secret bytes. */
    public SecretBytes secret() {
        return bytes;
    }

    public Kek copy() {
        return of(bytes.reveal());
    }

    @Override
    public void close() {
        bytes.close();
    }

    @Override
    public String toString() {
        return "Kek[redacted]";
    }
}
