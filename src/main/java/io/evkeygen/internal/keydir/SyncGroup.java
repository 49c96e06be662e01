package io.evkeygen.internal.keydir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fdatasyncs of one key set's files, run in the background as each file closes, so the disk
 * flushes SecKey while EvalKey is generated and EvalKey while MetadataKey is written; the save
 * waits for all of them ({@link #await()}) before it fsyncs the directory and renames it into place.
 */
final class SyncGroup {
    /** fdatasyncs and direct writes: threads that mostly wait for the disk. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "evkeygen-io");
        t.setDaemon(true);
        return t;
    });

    private final List<CompletableFuture<Void>> pending = new ArrayList<>();

    /** An I/O step for the background threads. */
    interface IoAction {
        void run() throws IOException;
    }

    /** Runs {@code action} on a background thread; its I/O error completes the future. */
    static CompletableFuture<Void> inBackground(IoAction action) {
        return CompletableFuture.runAsync(() -> {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, WORKERS);
    }

    /**
     * In the background: waits for what {@code earlier} stands for (early syncs, direct writes;
     * null: nothing), forces the channel's data, closes it. The caller goes on at once.
     */
    static CompletableFuture<Void> syncAndClose(FileChannel channel, CompletableFuture<Void> earlier) {
        return inBackground(() -> {
            try (channel) {
                if (earlier != null) {
                    join(earlier);
                }
                // fdatasync: data and the size needed to read it back; the entry is the directory fsync's job
                channel.force(false);
            }
        });
    }

    /** Forces written data of a file still open (early write-back), in the background. */
    static CompletableFuture<Void> sync(FileChannel channel) {
        return inBackground(() -> channel.force(false));
    }

    synchronized void add(CompletableFuture<Void> sync) {
        pending.add(sync);
    }

    /** Waits for every sync started so far; rethrows the first failure. */
    void await() throws IOException {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = new ArrayList<>(pending);
            pending.clear();
        }
        IOException first = null;
        for (CompletableFuture<Void> f : all) {
            try {
                join(f);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Waits for one sync, unwrapping its I/O error. */
    static void join(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing a key file");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof UncheckedIOException u ? u.getCause() : new IOException(c);
        }
    }
}
