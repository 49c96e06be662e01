package io.evkeygen;

import io.evkeygen.keyset.KeyFileKind;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A key set's envelopes held in memory, as {@link KeyGenerator#generateKeysStream()} returns them:
 * the exact bytes the files would hold. Close it to zero the secret envelopes.
 */
public final class KeySetBlobs implements AutoCloseable {
    private final Map<KeyFileKind, byte[]> files;

    KeySetBlobs(Map<KeyFileKind, byte[]> files) {
        this.files = Collections.unmodifiableMap(new EnumMap<>(files));
    }

    /** The envelope bytes of one file (not a copy), or null when absent (MetadataKey when disabled). */
    public byte[] get(KeyFileKind kind) {
        return files.get(kind);
    }

    /** Every envelope by kind, in file order. */
    public Map<KeyFileKind, byte[]> files() {
        return files;
    }

    /** Zeroes SecKey and MetadataKey envelopes. */
    @Override
    public void close() {
        files.forEach((kind, bytes) -> {
            if (kind.secret()) {
                Arrays.fill(bytes, (byte) 0);
            }
        });
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KeySetBlobs[");
        files.forEach((kind, bytes) -> sb.append(kind.fileName()).append('=').append(bytes.length).append("B "));
        return sb.toString().trim() + "]";
    }
}
