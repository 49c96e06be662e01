package io.evkeygen.internal.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * Which thread did which stage of a key-set write, and when: off unless a benchmark turns it on
 * (docs/BENCHMARKS.md, "per-stage timeline"), so the writers pay one volatile read per stage.
 */
public final class Timeline {
    /** One stage on one thread: from its first start to its last end, busy for {@code busyNanos} of that. */
    public record Span(String thread, String stage, long startNanos, long endNanos, long busyNanos) {}

    private static volatile List<Span> recording;

    private Timeline() {}

    /** Starts recording, dropping what was recorded before. */
    public static synchronized void start() {
        recording = new ArrayList<>();
    }

    /** Stops recording and returns the spans in the order they ended. */
    public static synchronized List<Span> stop() {
        List<Span> spans = recording == null ? List.of() : List.copyOf(recording);
        recording = null;
        return spans;
    }

    public static boolean on() {
        return recording != null;
    }

    /** Records a span of the current thread that was busy all along. */
    public static void record(String stage, long startNanos) {
        if (recording != null) {
            long end = System.nanoTime();
            add(new Span(Thread.currentThread().getName(), stage, startNanos, end, end - startNanos));
        }
    }

    static synchronized void add(Span span) {
        if (recording != null) {
            recording.add(span);
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

        /** Records the span on the calling thread's name, if anything ran and recording is on. */
        void record() {
            if (first >= 0 && on()) {
                add(new Span(Thread.currentThread().getName(), stage, first, last, busy));
            }
        }
    }
}
