package io.evkeygen.internal.keydir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A buffered file stream whose close flushes and fsyncs, so a committed key set is on disk.
 *
 * <p>Large files (EvalKey.json: 17 MB for the default set, 0.7 GB for FLAT 4096) also start writing
 * back early: every {@link #EARLY_SYNC_BYTES} a background thread forces what is written so far while
 * this thread keeps encoding, so the final fsync has little left to wait for. The disk works while
 * the CPU does, even on one core (the background thread mostly waits on I/O).
 */
final class SyncedFileOutputStream extends OutputStream {
    static final long EARLY_SYNC_BYTES = 1L << 20;

    private static final ExecutorService SYNCER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "evkeygen-fsync");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel channel;
    private final OutputStream buffered;
    private long sinceSync;
    private CompletableFuture<Void> inFlight;
    private boolean closed;

    SyncedFileOutputStream(FileChannel channel) {
        this.channel = channel;
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    @Override
    public void write(int b) throws IOException {
        buffered.write(b);
        sinceSync++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        buffered.write(b, off, len);
        sinceSync += len;
        if (sinceSync >= EARLY_SYNC_BYTES && (inFlight == null || inFlight.isDone())) {
            awaitEarlySync();            // surfaces an error of the previous one
            buffered.flush();
            sinceSync = 0;
            inFlight = CompletableFuture.runAsync(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, SYNCER);
        }
    }

    private void awaitEarlySync() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing a key file");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(c);
        } finally {
            inFlight = null;
        }
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
        try (channel) {
            buffered.flush();
            awaitEarlySync();
            channel.force(false);   // fdatasync: data and the size needed to read it back; the entry is the directory fsync's job
        }
    }
}
