package io.evkeygen.internal.keydir;

import java.io.IOException;

/**
 * A key file being written that can rewrite bytes it already holds: the envelope writer sends the
 * hash-bearing prefix before the hash is known and patches it in at the end, so the key data is
 * generated, hashed, encoded and written in one pass.
 */
public interface PatchableOutput {

    /** Overwrites bytes.length bytes at position (from the start of the file), which were written before. */
    void patch(long position, byte[] bytes) throws IOException;
}
