package io.evkeygen.bench;

import io.evkeygen.KeyGenerator;
import io.evkeygen.internal.stream.StageTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-stage timeline of one default-list generation into a directory (docs/BENCHMARKS.md):
 * which thread ran which stage, from when to when, after warm-up runs.
 *
 * <pre>java -cp target/evkeygen.jar:target/test-classes io.evkeygen.bench.TimelineBench [native|java] [threads] [warmup]</pre>
 */
public final class TimelineBench {
    /** One stage on one thread: from its first start to its last end, busy for {@code busyNanos} of that. */
    record Span(String thread, String stage, long startNanos, long endNanos, long busyNanos) {}

    private TimelineBench() {}

    public static void main(String[] args) throws Exception {
        String backend = args.length > 0 ? args[0] : "native";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path root = Files.createTempDirectory("evkeygen-timeline");
        for (int i = 0; i <= warmup; i++) {
            KeyGenerator gen = KeyGenerator.builder().keyPath(root).keyId("k" + i).backend(backend).threads(threads)
                    .build();
            boolean last = i == warmup;
            List<Span> spans = Collections.synchronizedList(new ArrayList<>());
            if (last) {
                StageTimer.listen((thread, stage, start, end, busy) -> spans.add(new Span(thread, stage, start, end, busy)));
            }
            long t0 = System.nanoTime();
            gen.generateKeys();
            long total = System.nanoTime() - t0;
            if (last) {
                StageTimer.listen(null);
                print(spans, t0, total, backend, threads);
            }
            delete(root.resolve("k" + i));
        }
        Files.delete(root);
    }

    private static void print(List<Span> spans, long t0, long total, String backend, int threads) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::startNanos));
        System.out.printf(Locale.ROOT, "default list, %s, %d thread(s): %.1f ms in all%n", backend, threads, total / 1e6);
        System.out.println("| thread | stage | from (ms) | to (ms) | busy (ms) |");
        System.out.println("|---|---|---|---|---|");
        for (Span s : sorted) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f |%n", s.thread(), s.stage(),
                    (s.startNanos() - t0) / 1e6, (s.endNanos() - t0) / 1e6, s.busyNanos() / 1e6);
        }
        long lastEnd = sorted.stream().mapToLong(Span::endNanos).max().orElse(t0);
        System.out.printf(Locale.ROOT, "| main | commit: wait for the files' fdatasync, fsync and rename the directory | %.1f | %.1f | |%n",
                (lastEnd - t0) / 1e6, total / 1e6);
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
