package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes generated once and replayed: an EvalKey's base64 text, kept while its hash is not yet known
 * for a target that cannot be patched (the envelope has the hash before key_data), as regenerating
 * would double the slowest step. Small ones stay in memory; large ones (FLAT) are spilled to a
 * temporary file inside the staging directory, deleted on close.
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
    public static EvalKeyBuffer fill(long length, Path scratchDir, ExactBytes.Producer producer) throws IOException {
        if (scratchDir == null || length <= IN_MEMORY_LIMIT) {
            byte[] bytes = ExactBytes.capture(length, "EvalKey text", producer);
            return new EvalKeyBuffer(length, bytes, null);
        }
        Path file = Files.createTempFile(scratchDir, ".EvalKey", ".bin.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                producer.writeTo(out);
            }
            long written = Files.size(file);
            if (written != length) {
                throw ExactBytes.wrongLength("EvalKey text", written, length);
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
}
