package io.evkeygen.spi;

import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Where a key set being saved puts its files; each file is opened once and closed by the caller. */
public interface KeyFileSink {

    /** Opens the envelope of one key file for writing. */
    OutputStream open(KeyFileKind kind) throws IOException;

    /**
     * A private directory for large temporary files that vanish with a failed save, or null when
     * the sink lives in memory (callers then keep everything in memory).
     */
    Path scratchDirectory();

    /**
     * The directory in which each closed file appears under its {@link KeyFileKind#fileName()}, so a
     * writer can verify the set before the store commits it; null when the sink is not a directory.
     */
    default Path filesDirectory() {
        return null;
    }
}
