package io.evkeygen.internal.keydir;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for {@link DirectFileOutput}, aligned for direct I/O and kept for the next file:
 * a key set per second would otherwise allocate (and zero) megabytes of direct memory that only a
 * garbage collection frees. At most {@link #KEPT} stay in the pool (16 MB), enough for four sets
 * saved at once; more are made when more are, and left to the collector when they come back to a
 * full pool.
 */
final class StagingBuffers {
    /**
     * 2 MB: eight of the native encoder's 256 KB text chunks per direct write. Same JVM, default
     * set, 6 runs each: cpu_ms 41.2 with 512 KB, 36.4-37.0 with 1 MB, 36.1 with 2 MB, 35.2-35.9 with
     * 4 MB (fewer, larger requests); median wall 30.5 ms with 2 MB, 31.4-32.1 with 4 MB.
     */
    static final int SIZE = 2 << 20;
    /** The largest block size a buffer is aligned for (file systems report 512 to 4096). */
    static final int MAX_ALIGNMENT = 64 << 10;
    private static final int KEPT = 8;

    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private StagingBuffers() {}

    /** A cleared buffer of {@link #SIZE} bytes whose address is a multiple of {@link #MAX_ALIGNMENT}. */
    static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(SIZE + MAX_ALIGNMENT).alignedSlice(MAX_ALIGNMENT).limit(SIZE).slice();
        }
        POOLED.decrementAndGet();
        return b.clear();
    }

    static void give(ByteBuffer b) {
        if (POOLED.incrementAndGet() <= KEPT) {
            POOL.add(b);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
