package io.evkeygen.internal.engine;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Computes items 0..count-1 on a pool and hands them to a sink strictly in index order, with a
 * bounded window in flight: output never depends on the thread count, memory stays bounded.
 */
final class OrderedParallelMap {
    interface Sink<T> {
        void accept(T item) throws IOException;
    }

    private OrderedParallelMap() {}

    static <T> void run(ExecutorService pool, int threads, int count, IntFunction<T> compute, Sink<T> sink)
            throws IOException {
        if (pool == null || threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                sink.accept(compute.apply(i));
            }
            return;
        }
        int window = 2 * threads;
        ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
        int next = 0;
        try {
            while (next < count || !inFlight.isEmpty()) {
                while (next < count && inFlight.size() < window) {
                    final int index = next++;
                    inFlight.add(pool.submit(() -> compute.apply(index)));
                }
                sink.accept(await(inFlight.poll()));
            }
        } finally {
            for (Future<T> f : inFlight) {
                f.cancel(true);
            }
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("key generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }
}
