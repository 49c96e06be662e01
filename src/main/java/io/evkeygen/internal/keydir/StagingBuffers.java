package io.evkeygen.internal.keydir;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for {@link DirectFileOutput}, aligned for direct I/O and kept for the next file:
 * a key set per second would otherwise allocate (and zero) megabytes of direct memory that only a
 * garbage collection frees. At most {@link #KEPT} stay in the pool; more are made when sets are
 * saved at once, and left to the collector when they come back to a full pool.
 */
final class StagingBuffers {
    /** 1 MB: four of the native encoder's 256 KB text chunks; two of them stay in the L2 cache. */
    static final int SIZE = 1 << 20;
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
