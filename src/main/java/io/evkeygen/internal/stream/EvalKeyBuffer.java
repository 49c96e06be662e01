package io.evkeygen.internal.stream;

import io.evkeygen.keyset.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        return fill(length, scratchDir, progress, producer, false, List.of());
    }

    /**
     * As {@link #fill(long, Path, ProgressListener, ExactBytes.Producer)}, also handing the bytes to
     * {@code alongside} (e.g. the SHA-256 of the data) as they are produced; with {@code parallel}
     * those stages run on threads of their own while the producer goes on.
     */
    public static EvalKeyBuffer fill(long length, Path scratchDir, ProgressListener progress, ExactBytes.Producer producer,
                                     boolean parallel, List<ChunkPipeline.Stage> alongside) throws IOException {
        if (scratchDir == null || length <= IN_MEMORY_LIMIT) {
            byte[] bytes = ExactBytes.capture(length, "EvalKey.bin",
                    out -> run(producer, out, length, progress, parallel, alongside));
            return new EvalKeyBuffer(length, bytes, null);
        }
        Path file = Files.createTempFile(scratchDir, ".EvalKey", ".bin.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                run(producer, out, length, progress, parallel, alongside);
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

    /** The producer's bytes go to {@code keep} and every stage alongside, chunk by chunk. */
    private static void run(ExactBytes.Producer producer, OutputStream keep, long length, ProgressListener progress,
                            boolean parallel, List<ChunkPipeline.Stage> alongside) throws IOException {
        List<ChunkPipeline.Stage> stages = new ArrayList<>();
        stages.add(ChunkPipeline.Stage.named("keep EvalKey.bin", (b, n) -> keep.write(b, 0, n)));
        stages.addAll(alongside);
        ChunkPipeline pipe = ChunkPipeline.of(parallel, length, stages);
        try {
            producer.writeTo(new ProgressStream(pipe, length, progress));
            pipe.close();
        } finally {
            pipe.abort();
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
