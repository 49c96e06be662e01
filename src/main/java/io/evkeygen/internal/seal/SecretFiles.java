package io.evkeygen.internal.seal;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a secret envelope (SecKey.json, MetadataKey.json), verifies it and opens it if sealed. Only
 * envelopes: pyenvector's older MetadataKey layouts are read by {@link MetadataKeyFiles#openLegacy}, on request.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /** A verified envelope and its plaintext .bin (the caller zeroes {@code plain}). */
    public record Opened(Envelope envelope, byte[] plain) {}

    /**
     * @param provider opens a sealed file; may be null for an unsealed one
     * @throws KeygenException INVALID_KEY for a bad envelope, UNSEAL when it cannot be opened, IO when missing
     */
    public static Opened read(Path file, KeyFileKind kind, KekProvider provider) throws IOException {
        return read(file, kind, provider, env -> { });
    }

    /**
     * As {@link #read(Path, KeyFileKind, KekProvider)}, running {@code check} on the verified envelope
     * before anything is unsealed (so a file that does not belong is refused without asking a KMS).
     */
    public static Opened read(Path file, KeyFileKind kind, KekProvider provider, Consumer<Envelope> check)
            throws IOException {
        long size = boundedSize(file);
        try (InputStream in = Files.newInputStream(file)) {
            return open(in, (int) size, kind, provider, check);
        }
    }

    /**
     * As {@link #read(Path, KeyFileKind, KekProvider, Consumer)} for an envelope from a store's stream
     * (not closed): read whole into one buffer, bounded like a file, zeroed after use.
     *
     * @throws KeygenException INVALID_KEY when the stream is too large to be a secret key file
     */
    public static Opened read(InputStream in, KeyFileKind kind, KekProvider provider, Consumer<Envelope> check)
            throws IOException {
        byte[] json = readBounded(in, kind);
        try {
            return open(new ByteArrayInputStream(json), json.length, kind, provider, check);
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    /** The stream's bytes; every smaller buffer it grew through is zeroed (an unsealed file is secret). */
    private static byte[] readBounded(InputStream in, KeyFileKind kind) throws IOException {
        byte[] buf = new byte[8192];
        int size = 0;
        try {
            for (int r; (r = in.read(buf, size, buf.length - size)) >= 0; ) {
                size += r;
                if (size == buf.length) {
                    if (size >= MAX_SECRET_FILE) {
                        throw KeygenException.invalidKey(kind.fileName() + " is too large for a secret key file");
                    }
                    byte[] grown = Arrays.copyOf(buf, size * 2);
                    Arrays.fill(buf, (byte) 0);
                    buf = grown;
                }
            }
            return Arrays.copyOf(buf, size);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    private static Opened open(InputStream in, int size, KeyFileKind kind, KekProvider provider,
                               Consumer<Envelope> check) throws IOException {
        // decoded key data is shorter than the envelope: one buffer, never regrown, zeroed below
        FixedSink buf = new FixedSink(size);
        try {
            Envelope env = EnvelopeReader.read(in, kind, buf);
            check.accept(env);
            byte[] data = Arrays.copyOf(buf.bytes, buf.size);
            try {
                return new Opened(env, Sealing.open(provider, env.header(), data));
            } finally {
                Arrays.fill(data, (byte) 0);
            }
        } finally {
            Arrays.fill(buf.bytes, (byte) 0);
        }
    }

    /**
     * The whole of a small secret file (the caller zeroes it).
     *
     * @throws KeygenException IO when it is missing, INVALID_KEY when it is too large to be a secret key file
     */
    public static byte[] readAll(Path file) throws IOException {
        boundedSize(file);
        return Files.readAllBytes(file);
    }

    private static long boundedSize(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new KeygenException(KeygenException.Kind.IO, "missing key file " + file, e);
        }
        if (size > MAX_SECRET_FILE) {
            throw KeygenException.invalidKey(file.getFileName() + " is too large for a secret key file");
        }
        return size;
    }

    /** Secret files are a few KB; anything near this is not one. */
    static final long MAX_SECRET_FILE = 64L << 20;

    private static final class FixedSink extends OutputStream {
        final byte[] bytes;
        int size;

        FixedSink(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (size + len > bytes.length) {
                throw new IOException("key data longer than its file");
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }
}
