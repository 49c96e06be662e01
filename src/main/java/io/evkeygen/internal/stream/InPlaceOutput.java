package io.evkeygen.internal.stream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream that lends a producer its own buffer: the producer writes into what {@link #claim}
 * returns, in place, and {@link #commit}s how much it wrote. A native encoder writes its text
 * straight into a file's I/O buffer this way, with no copy between them.
 */
public interface InPlaceOutput {

    /**
     * A direct buffer with at least {@code min} bytes from its position to its limit, for the next
     * bytes of the stream; or null when the stream cannot lend one now, and the producer writes as
     * to any stream. Valid until the next call on this stream.
     */
    ByteBuffer claim(int min) throws IOException;

    /** Appends the first {@code n} bytes of the claimed buffer (from its position) to the stream. */
    void commit(int n) throws IOException;
}
