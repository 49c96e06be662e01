package io.evkeygen.internal.codec;

import io.evkeygen.keyset.ProgressListener;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * EvalKey.bin generated once and replayed: the envelope writer reads it twice (hash, then base64)
 * and regenerating would double the slowest step. Small ones stay in memory; large ones (FLAT) are
 * spilled to a temporary file inside the staging directory, deleted on close.
 */
public final class EvalKeyBuffer implements BinSource, AutoCloseable {
    /** Above this, and when a scratch directory exists, the bytes go to a file. */
    static final long IN_MEMORY_LIMIT = 64L << 20;

    private final long length;
    private final byte[] bytes;
    private final Path file;

    private EvalKeyBuffer(long length, byte[] bytes, Path file) {
        this.length = length;
        this.bytes = bytes;
        this.file = file;
    }

    /** Runs the producer once into memory or into a file of {@code scratchDir} (null: memory only). */
    public static EvalKeyBuffer fill(long length, Path scratchDir, ProgressListener progress, ExactBytes.Producer producer)
            throws IOException {
        if (scratchDir == null || length <= IN_MEMORY_LIMIT) {
            return new EvalKeyBuffer(length, ExactBytes.capture(length, "EvalKey.bin",
                    out -> producer.writeTo(new Progress(out, length, progress))), null);
        }
        Path file = Files.createTempFile(scratchDir, ".EvalKey", ".bin.tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                producer.writeTo(new Progress(out, length, progress));
            }
            long written = Files.size(file);
            if (written != length) {
                throw ExactBytes.wrongLength("EvalKey.bin", written, length);
            }
            return new EvalKeyBuffer(length, null, file);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (bytes != null) {
            out.write(bytes);
        } else {
            Files.copy(file, out);
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Reports bytes as they pass; bulk writes only, as engines write whole polynomials. */
    private static final class Progress extends FilterOutputStream {
        private final long total;
        private final ProgressListener listener;
        private long done;

        Progress(OutputStream out, long total, ProgressListener listener) {
            super(out);
            this.total = total;
            this.listener = listener;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            listener.evalKeyProgress(++done, total);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            done += len;
            listener.evalKeyProgress(done, total);
        }
    }
}
