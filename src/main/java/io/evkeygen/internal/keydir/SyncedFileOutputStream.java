package io.evkeygen.internal.keydir;

import io.evkeygen.internal.stream.ByteBufferOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A buffered file stream whose data is fdatasync'ed before its key set is committed.
 *
 * <p>Large files (EvalKey.json: 17 MB for the default set, 0.7 GB for FLAT 4096) also start writing
 * back early: every {@link #EARLY_SYNC_BYTES} a background thread forces what is written so far while
 * this thread keeps encoding, so the final fsync has little left to wait for. The disk works while
 * the CPU does, even on one core (the background thread mostly waits on I/O). The final sync also runs
 * in the background: close hands it to the key set's {@link SyncGroup}, which the save waits for.
 */
final class SyncedFileOutputStream extends OutputStream implements PatchableOutput, ByteBufferOutput {
    /**
     * 4 MB, not less: each sync also commits the file's new size to the journal, and with several
     * sets saved at once those commits were what stopped throughput from scaling (RMP 1024, 4 at
     * once: 1.80x one at a time with 1 MB, 1.91-2.02x with 4 MB; a single set is no slower).
     */
    static final long EARLY_SYNC_BYTES = 4L << 20;

    private final FileChannel channel;
    private final OutputStream buffered;
    private final SyncGroup group;
    private long sinceSync;
    private CompletableFuture<Void> inFlight;
    private boolean closed;

    SyncedFileOutputStream(FileChannel channel, SyncGroup group) {
        this.channel = channel;
        this.group = Objects.requireNonNull(group, "group");
        // small: the envelope writer hands over 64 KB blocks, which pass straight through
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 13);
    }

    @Override
    public void write(int b) throws IOException {
        buffered.write(b);
        sinceSync++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        buffered.write(b, off, len);
        written(len);
    }

    /**
     * Writes src's bytes to the file from where they are: the native key data encoder's text goes
     * from its native buffer to the kernel, not through a Java array and the JDK's own direct buffer.
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        int len = src.remaining();
        buffered.flush();
        while (src.hasRemaining()) {
            channel.write(src);
        }
        written(len);
    }

    private void written(long len) throws IOException {
        sinceSync += len;
        if (sinceSync >= EARLY_SYNC_BYTES && (inFlight == null || inFlight.isDone())) {
            awaitEarlySync();            // surfaces an error of the previous one
            buffered.flush();
            sinceSync = 0;
            inFlight = SyncGroup.sync(channel);
        }
    }

    private void awaitEarlySync() throws IOException {
        if (inFlight != null) {
            CompletableFuture<Void> f = inFlight;
            inFlight = null;
            SyncGroup.join(f);
        }
    }
    @Override
    public void patch(long position, byte[] bytes) throws IOException {
        buffered.flush();
        if (position < 0 || position + bytes.length > channel.size()) {
            throw new IOException("patch outside what was written");
        }
        FileTrees.writeAt(channel, ByteBuffer.wrap(bytes), position);
    }

    @Override
    public void flush() throws IOException {
        buffered.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean handedOver = false;
        try {
            buffered.flush();
            CompletableFuture<Void> earlier = inFlight;
            inFlight = null;
            group.add(SyncGroup.syncAndClose(channel, earlier));
            handedOver = true;
        } finally {
            if (!handedOver) {
                channel.close();
            }
        }
    }
}
