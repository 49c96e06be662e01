package io.evkeygen.internal.keydir;

import com.sun.nio.file.ExtendedOpenOption;
import io.evkeygen.internal.stream.ByteBufferOutput;
import io.evkeygen.internal.stream.InPlaceOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A large key file (EvalKey.json: 17 MB for the default set, 0.7 GB for FLAT 4096) written with
 * direct I/O (Linux {@code O_DIRECT}): the text goes from the buffer the native encoder wrote it
 * into to the disk, without the copy into the page cache, the write-back that fdatasync then does,
 * or the cached pages that deleting or replacing the file has to drop. A default set costs about
 * 3 ms of CPU less (docs/BENCHMARKS.md, "The target met: EvalKey.json around the page cache");
 * nothing reads the file back soon, so the cache was no use to it.
 *
 * <p>The first {@link #HEAD} bytes stay in memory until close, so that the envelope's prefix (whose
 * hash is known only at the end) is patched there. The bytes after them fill two 2 MB aligned
 * buffers in turn; each is written whole, in 64 KB multiples, by a background thread while the
 * encoder fills the other. At close, what is left of the last block and the head go through the
 * ordinary channel, whose fdatasync then makes them and the file's size durable: direct and
 * buffered writes never share a block.
 *
 * <p>Where a direct write is refused (a file system that opens with {@code O_DIRECT} but wants other
 * sizes), that buffer and all later ones are written through the ordinary channel: the same bytes,
 * at the old cost. Where {@code O_DIRECT} cannot be opened at all, {@link #open} returns the
 * ordinary {@link SyncedFileOutputStream}.
 */
final class DirectFileOutput extends OutputStream implements PatchableOutput, ByteBufferOutput, InPlaceOutput {
    /** Kept in memory until close; a multiple of {@link #ALIGNMENT}. */
    static final int HEAD = 64 << 10;
    /** Every direct write's offset and length are multiples of this; no file system asks for more. */
    static final int ALIGNMENT = StagingBuffers.MAX_ALIGNMENT;
    /** Set to {@code false} to write every key file through the page cache. */
    static final String PROPERTY = "evkeygen.directIo";

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final FileChannel channel;
    private final FileChannel direct;
    private final SyncGroup group;
    private final byte[] head = new byte[HEAD];
    private int headLength;
    private final ByteBuffer[] buffers = new ByteBuffer[2];
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Void>[] writes = new CompletableFuture[] {DONE, DONE};
    private int current;
    private long bufferStart = HEAD;    // the file position of the current buffer's first byte
    private volatile boolean directRefused;
    private boolean closed;

    DirectFileOutput(FileChannel channel, FileChannel direct, SyncGroup group) {
        this.channel = channel;
        this.direct = direct;
        this.group = group;
        buffers[0] = StagingBuffers.take();
        buffers[1] = StagingBuffers.take();
    }

    /**
     * A stream for {@code file}, already open as {@code channel}: direct I/O where this platform and
     * file system offer it and {@link #PROPERTY} allows, else a {@link SyncedFileOutputStream}.
     */
    static OutputStream open(Path file, FileChannel channel, SyncGroup group) {
        Objects.requireNonNull(group, "group");
        if (!enabled()) {
            return new SyncedFileOutputStream(channel, group);
        }
        FileChannel direct;
        try {
            direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return new SyncedFileOutputStream(channel, group);   // tmpfs before Linux 6.6, some FUSE file systems
        } catch (NoClassDefFoundError e) {
            return new SyncedFileOutputStream(channel, group);   // a runtime image without jdk.unsupported
        }
        return new DirectFileOutput(channel, direct, group);
    }

    static boolean enabled() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /** True while no direct write has been refused (tests: which path the bytes took). */
    boolean writingDirect() {
        return !directRefused;
    }

    @Override
    public void write(int b) throws IOException {
        write(ByteBuffer.wrap(new byte[] {(byte) b}));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        requireOpen();
        while (src.hasRemaining()) {
            int n;
            if (headLength < HEAD) {
                n = Math.min(HEAD - headLength, src.remaining());
                src.get(src.position(), head, headLength, n);
                headLength += n;
            } else {
                ByteBuffer b = buffers[current];
                if (!b.hasRemaining()) {
                    handOver();
                    b = buffers[current];
                }
                n = Math.min(b.remaining(), src.remaining());
                b.put(b.position(), src, src.position(), n);
                b.position(b.position() + n);
            }
            src.position(src.position() + n);
        }
    }

    /** The current buffer from its position, once the head is full and the buffer has {@code min} bytes free. */
    @Override
    public ByteBuffer claim(int min) throws IOException {
        requireOpen();
        if (headLength < HEAD || min > StagingBuffers.SIZE - ALIGNMENT) {
            return null;
        }
        if (buffers[current].remaining() < min) {
            handOver();
        }
        return buffers[current];
    }

    @Override
    public void commit(int n) throws IOException {
        requireOpen();
        ByteBuffer b = buffers[current];
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("committed " + n + " bytes of " + b.remaining());
        }
        b.position(b.position() + n);
    }

    /**
     * Starts writing the current buffer's whole blocks in the background and goes on in the other
     * buffer, once its last write is done, with the current one's partial block copied to its start.
     */
    private void handOver() throws IOException {
        ByteBuffer full = buffers[current];
        long at = bufferStart;
        int whole = startWritingWholeBlocks();
        int next = 1 - current;
        SyncGroup.join(writes[next]);
        ByteBuffer b = buffers[next].clear();
        int rest = full.position() - whole;
        b.put(0, full, whole, rest);   // the writer reads [0, whole) of full: no overlap
        b.position(rest);
        current = next;
        bufferStart = at + whole;
    }

    /** Starts writing the current buffer's whole blocks in the background; returns their length. */
    private int startWritingWholeBlocks() {
        ByteBuffer b = buffers[current];
        int whole = b.position() / ALIGNMENT * ALIGNMENT;
        ByteBuffer blocks = b.duplicate().limit(whole).position(0);
        long at = bufferStart;
        writes[current] = SyncGroup.inBackground(() -> writeBlocks(blocks, at));
        return whole;
    }

    /** Writes whole blocks at {@code at}: directly, or through the page cache once a direct write was refused. */
    private void writeBlocks(ByteBuffer blocks, long at) throws IOException {
        if (!directRefused) {
            try {
                FileTrees.writeAt(direct, blocks, at);
                return;
            } catch (IOException e) {
                // EINVAL for an alignment this file system does not take; a real I/O error fails again below
                directRefused = true;
            }
        }
        FileTrees.writeAt(channel, blocks, at + blocks.position());   // blocks starts at 0: on from what was written
    }

    /**
     * The envelope's prefix lies in the head, still in memory. A patch reaching past it (a prefix over
     * 64 KB) waits for the writes in flight and rewrites the bytes where they are.
     */
    @Override
    public void patch(long position, byte[] bytes) throws IOException {
        requireOpen();
        long end = position + bytes.length;
        long written = headLength < HEAD ? headLength : bufferStart + buffers[current].position();
        if (position < 0 || end > written) {
            throw new IOException("patch outside what was written");
        }
        int inHead = (int) Math.max(0, Math.min(end, headLength) - position);
        if (inHead > 0) {
            System.arraycopy(bytes, 0, head, (int) position, inHead);
        }
        if (end <= headLength) {
            return;
        }
        SyncGroup.join(writes[1 - current]);
        for (long p = position + inHead; p < end; ) {
            int from = (int) (p - position);
            if (p < bufferStart) {
                int n = (int) (Math.min(end, bufferStart) - p);
                FileTrees.writeAt(channel, ByteBuffer.wrap(bytes, from, n), p);
                p += n;
            } else {
                buffers[current].put((int) (p - bufferStart), bytes, from, (int) (end - p));
                p = end;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finish();
        } catch (IOException | RuntimeException e) {
            CompletableFuture.allOf(writes).handle((v, failure) -> null).join();
            release();
            channel.close();
            throw e;
        }
    }

    /**
     * The last buffer's whole blocks in the background, its partial block and the head through the
     * channel now; the channel's fdatasync and close go to the key set's {@link SyncGroup}, after
     * every direct write.
     */
    private void finish() throws IOException {
        ByteBuffer last = buffers[current];
        int whole = startWritingWholeBlocks();
        FileTrees.writeAt(channel, last.duplicate().limit(last.position()).position(whole), bufferStart + whole);
        FileTrees.writeAt(channel, ByteBuffer.wrap(head, 0, headLength), 0);
        CompletableFuture<Void> all = CompletableFuture.allOf(writes).whenComplete((v, e) -> release());
        group.add(SyncGroup.syncAndClose(channel, all));
    }

    /** After the last write: the buffers back to the pool, the direct channel closed. */
    private void release() {
        StagingBuffers.give(buffers[0]);
        StagingBuffers.give(buffers[1]);
        try {
            direct.close();
        } catch (IOException e) {
            // nothing is left to write through it; the data's durability is the fdatasync's job
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("key file stream is closed");
        }
    }
}
