package io.evkeygen.internal.stream;

/**
 * Where a key-set write reports which thread ran which stage, and when: to nobody unless a
 * benchmark listens (docs/BENCHMARKS.md, "per-stage timeline"), so the writers pay one volatile
 * read per stage.
 */
public final class StageTimer {

    /** Hears one stage on one thread: from its first start to its last end, busy for {@code busyNanos} of that. */
    @FunctionalInterface
    public interface Listener {
        /** May be called from several threads at once. */
        void stage(String thread, String stage, long startNanos, long endNanos, long busyNanos);
    }

    private static volatile Listener listener;

    private StageTimer() {}

    /** Reports every stage from now on to {@code l}; null stops reporting. */
    public static void listen(Listener l) {
        listener = l;
    }

    /** Reports a stage of the current thread that was busy all along. */
    public static void record(String stage, long startNanos) {
        Listener l = listener;
        if (l != null) {
            long end = System.nanoTime();
            l.stage(Thread.currentThread().getName(), stage, startNanos, end, end - startNanos);
        }
    }

    /** Accumulates a stage that runs in pieces (once per chunk) into one span. */
    static final class Accumulator {
        private final String stage;
        private long first = -1;
        private long last;
        private long busy;

        Accumulator(String stage) {
            this.stage = stage;
        }

        long begin() {
            long t = System.nanoTime();
            if (first < 0) {
                first = t;
            }
            return t;
        }

        void end(long begun) {
            last = System.nanoTime();
            busy += last - begun;
        }

        /** Reports the span on the calling thread's name, if anything ran and someone listens. */
        void record() {
            Listener l = listener;
            if (first >= 0 && l != null) {
                l.stage(Thread.currentThread().getName(), stage, first, last, busy);
            }
        }
    }
}
