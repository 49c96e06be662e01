package io.evkeygen.internal.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A stream that takes a buffer's bytes directly, sparing an engine's native output a copy through an array. */
public interface ByteBufferOutput {

    /** Writes src's remaining bytes and advances it to its limit. */
    void write(ByteBuffer src) throws IOException;
}
