package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.PidDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A key set written for upload: secrets and EncKey in memory, EvalKey in memory up to
 * {@link #EVAL_MEMORY_LIMIT} and then in a file of a private temporary directory (also the
 * generator's scratch directory, so a large EvalKey.bin spills there too). Closing zeroes the
 * memory and deletes the directory. Shared by the remote key stores: each writes the set here, checks
 * it, then uploads the parts in its own order.
 */
public final class StagedKeySet implements KeyFileSink, AutoCloseable {
    /** An EvalKey envelope larger than this is spilled to disk. */
    public static final long EVAL_MEMORY_LIMIT = 8L << 20;

    /** Names of the scratch directories in {@code java.io.tmpdir}, before the pid. */
    static final String PREFIX = "evkeygen-upload-";

    private final Map<KeyFileKind, StagedBlob> blobs = new EnumMap<>(KeyFileKind.class);
    private Path dir;

    @Override
    public OutputStream open(KeyFileKind kind) throws IOException {
        if (blobs.containsKey(kind)) {
            throw new IOException(kind.fileName() + " written twice");
        }
        StagedBlob blob = kind == KeyFileKind.EVALKEY
                ? new StagedBlob(scratchDirectory(), EVAL_MEMORY_LIMIT)
                : new StagedBlob(null, Long.MAX_VALUE);
        blobs.put(kind, blob);
        return blob.output();
    }

    /**
     * {@code <java.io.tmpdir>/evkeygen-upload-<pid>-<12 hex>}, owner-only; the leftovers of runs that
     * were killed (their process is gone) are removed first.
     */
    @Override
    public Path scratchDirectory() {
        if (dir == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try {
                PidDirectories.removeStale(tmp, Pattern.quote(PREFIX), StagedKeySet::deleteDirectory);
            } catch (IOException e) {
                // another user's leftover in a shared temporary directory: theirs to remove
            }
            try {
                dir = PidDirectories.create(tmp, PREFIX);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    public StagedBlob get(KeyFileKind kind) {
        return blobs.get(kind);
    }

    /** Refuses, before anything is uploaded, a set without one of the {@link KeyFileKind#REQUIRED} parts. */
    public void requireComplete() {
        for (KeyFileKind k : KeyFileKind.REQUIRED) {
            if (!blobs.containsKey(k)) {
                throw KeygenException.invalidKey("key set has no " + k.fileName() + ": nothing uploaded");
            }
        }
    }

    /**
     * Refuses, before anything is uploaded, a secret envelope (SecKey, MetadataKey) over
     * {@code maxBytes}, the limit of the secret service named {@code service}.
     */
    public void requireSecretsAtMost(long maxBytes, String service) {
        blobs.forEach((kind, blob) -> {
            if (kind.secret() && blob.length() > maxBytes) {
                throw new KeygenException(KeygenException.Kind.STORE, kind.fileName() + " is " + blob.length()
                        + " bytes, over the " + service + " limit of " + maxBytes + " bytes: nothing uploaded");
            }
        });
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (StagedBlob b : blobs.values()) {
            try {
                b.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (dir != null) {
            deleteDirectory(dir);
        }
        if (first != null) {
            throw first;
        }
    }

    /** The scratch directory holds files only (spilled blobs). */
    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
