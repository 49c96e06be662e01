package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An output stream that cuts what a producer writes into fixed-size chunks and hands every chunk,
 * in order, to each of its stages (for a key file: SHA-256 and base64-then-write). Parallel, each
 * stage has a thread of its own and they work on the same chunks while the producer fills the
 * next; a chunk is reused once every stage is done with it, so memory is {@code depth} chunks
 * whatever the file size. Sequential, the stages run on the producer's thread as each chunk
 * fills. Either way every stage sees exactly the bytes written, in order, so the output never
 * depends on the mode.
 */
public final class ChunkPipeline extends OutputStream implements ByteBufferOutput {
    /** Large enough that a hand-off costs nothing next to the work on it, small enough to stay in cache. */
    public static final int CHUNK = 256 << 10;
    /** Chunks in flight when parallel: the producer may run this far ahead of the slowest stage. */
    static final int DEPTH = 8;

    /** One consumer of the byte stream. */
    public interface Stage {
        /** Bytes [0, len) of chunk, the next ones of the stream; chunk is reused after this returns. */
        void accept(byte[] chunk, int len) throws IOException;

        /** What the per-stage timeline calls it. */
        default String name() {
            return "stage";
        }

        static Stage named(String name, Stage stage) {
            return new Stage() {
                @Override
                public void accept(byte[] chunk, int len) throws IOException {
                    stage.accept(chunk, len);
                }

                @Override
                public String name() {
                    return name;
                }
            };
        }
    }

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final ExecutorService STAGE_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "evkeygen-pipeline-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final Chunk END = new Chunk(0);

    /**
     * Chunk arrays of finished pipelines, reused by the next: a fresh 256 KB array costs far more
     * than its copy (the JVM takes it from memory it has not touched yet; 0.7 ms each on the
     * development VM, 6 ms per key set). Key data only, never secrets; bounded.
     */
    private static final ConcurrentLinkedQueue<byte[]> SPARE =
            new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SPARE_COUNT = new AtomicInteger();
    private static final int MAX_SPARE = 4 * DEPTH;

    private static Chunk chunk(int size) {
        if (size == CHUNK) {
            byte[] spare = SPARE.poll();
            if (spare != null) {
                SPARE_COUNT.decrementAndGet();
                return new Chunk(spare);
            }
        }
        return new Chunk(size);
    }

    private static void recycle(Chunk c) {
        if (c != null && c.bytes.length == CHUNK && SPARE_COUNT.incrementAndGet() <= MAX_SPARE) {
            SPARE.add(c.bytes);
        } else if (c != null && c.bytes.length == CHUNK) {
            SPARE_COUNT.decrementAndGet();
        }
    }

    private final List<Stage> stages;
    private final List<StageTimer.Accumulator> clocks = new ArrayList<>();
    private final boolean parallel;
    private final BlockingQueue<Chunk> free;
    private final List<BlockingQueue<Chunk>> queues = new ArrayList<>();
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong count = new AtomicLong();
    private Chunk current;
    private boolean closed;

    private static final class Chunk {
        final byte[] bytes;
        int len;
        final AtomicInteger pending = new AtomicInteger();

        Chunk(int size) {
            this(new byte[size]);
        }

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private ChunkPipeline(List<Stage> stages, boolean parallel, int chunkSize, int depth) {
        this.stages = List.copyOf(stages);
        this.parallel = parallel && !this.stages.isEmpty();
        for (Stage stage : this.stages) {
            clocks.add(new StageTimer.Accumulator(stage.name()));
        }
        if (this.parallel) {
            free = new ArrayBlockingQueue<>(depth);
            for (int i = 0; i < depth; i++) {
                free.add(chunk(chunkSize));
            }
            for (int i = 0; i < this.stages.size(); i++) {
                Stage stage = this.stages.get(i);
                StageTimer.Accumulator clock = clocks.get(i);
                BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(depth + 1);
                queues.add(queue);
                running.add(STAGE_THREADS.submit(() -> {
                    drain(stage, clock, queue);
                    return null;
                }));
            }
        } else {
            free = null;
            current = chunk(chunkSize);
        }
    }

    /**
     * Stages run on threads of their own when {@code parallel}, else on the caller's. Sized for a
     * stream of about {@code expectedLength} bytes: no more chunks in flight than it fills, and one
     * chunk of its own size on the caller's thread when it fits in one (MM's EvalKey is under 1 KB:
     * 2 MB of fresh chunks and two thread hand-offs would cost more than the data).
     */
    public static ChunkPipeline of(boolean parallel, long expectedLength, List<Stage> stages) {
        if (expectedLength <= CHUNK) {
            return new ChunkPipeline(stages, false, (int) Math.max(expectedLength, 1), 1);
        }
        long chunks = (expectedLength + CHUNK - 1) / CHUNK;
        return new ChunkPipeline(stages, parallel, CHUNK, (int) Math.min(DEPTH, chunks));
    }

    static ChunkPipeline of(boolean parallel, int chunkSize, int depth, List<Stage> stages) {
        return new ChunkPipeline(stages, parallel, chunkSize, depth);
    }

    /** Bytes written so far. */
    public long count() {
        return count.get();
    }

    @Override
    public void write(int b) throws IOException {
        Chunk c = current();
        c.bytes[c.len++] = (byte) b;
        count.incrementAndGet();
        if (c.len == c.bytes.length) {
            pass();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        count.addAndGet(len);
        while (len > 0) {
            Chunk c = current();
            int n = Math.min(len, c.bytes.length - c.len);
            System.arraycopy(b, off, c.bytes, c.len, n);
            c.len += n;
            off += n;
            len -= n;
            if (c.len == c.bytes.length) {
                pass();
            }
        }
    }

    /** Copies straight from src (e.g. the native library's batch buffer) into the chunks: one copy, not two. */
    @Override
    public void write(ByteBuffer src) throws IOException {
        count.addAndGet(src.remaining());
        while (src.hasRemaining()) {
            Chunk c = current();
            int n = Math.min(src.remaining(), c.bytes.length - c.len);
            src.get(c.bytes, c.len, n);
            c.len += n;
            if (c.len == c.bytes.length) {
                pass();
            }
        }
    }

    /**
     * Passes the last partial chunk on, waits for every stage to finish and rethrows the first
     * failure of any. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (current != null && current.len > 0) {
                pass();
            }
        } finally {
            if (parallel) {
                for (BlockingQueue<Chunk> q : queues) {
                    put(q, END);
                }
                awaitStages();
                // every stage has returned: the chunks are all back and no thread touches them
                for (Chunk c = free.poll(); c != null; c = free.poll()) {
                    recycle(c);
                }
            } else {
                clocks.forEach(StageTimer.Accumulator::record);
                recycle(current);
            }
            current = null;
        }
        rethrow();
    }

    /** Stops the stages without finishing (the producer failed); never throws. */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        failure.compareAndSet(null, new IOException("pipeline aborted"));
        stopStages();
    }

    private void stopStages() {
        if (parallel) {
            for (BlockingQueue<Chunk> q : queues) {
                q.offer(END); // room is always left for END: depth chunks + 1
            }
            for (Future<?> f : running) {
                f.cancel(true);
            }
        }
    }

    private InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, new InterruptedIOException("interrupted while writing a key file"));
        stopStages();
        return new InterruptedIOException("interrupted while writing a key file");
    }

    private Chunk current() throws IOException {
        if (closed) {
            throw new IOException("pipeline closed");
        }
        if (current == null) {
            rethrow();
            current = take(free);
            current.len = 0;
        }
        return current;
    }

    private void pass() throws IOException {
        Chunk c = current;
        if (!parallel) {
            for (int i = 0; i < stages.size(); i++) {
                long begun = clocks.get(i).begin();
                stages.get(i).accept(c.bytes, c.len);
                clocks.get(i).end(begun);
            }
            c.len = 0;
            return;
        }
        current = null;
        c.pending.set(stages.size());
        for (BlockingQueue<Chunk> q : queues) {
            put(q, c);
        }
        rethrow();
    }

    private void drain(Stage stage, StageTimer.Accumulator clock, BlockingQueue<Chunk> queue)
            throws InterruptedException {
        for (Chunk c = queue.take(); c != END; c = queue.take()) {
            try {
                if (failure.get() == null) {
                    long begun = clock.begin();
                    stage.accept(c.bytes, c.len);
                    clock.end(begun);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (c.pending.decrementAndGet() == 0) {
                    free.add(c);
                }
            }
        }
        clock.record();
    }

    private void awaitStages() throws IOException {
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                throw interrupted();
            } catch (CancellationException e) {
                failure.compareAndSet(null, new IOException("pipeline stage cancelled"));
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IOException(t);
    }

    private Chunk take(BlockingQueue<Chunk> q) throws IOException {
        try {
            // a failed stage still returns its chunks, so this never waits on a dead stage
            return q.take();
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private void put(BlockingQueue<Chunk> q, Chunk c) throws IOException {
        try {
            q.put(c);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }
}
