package io.evkeygen.cli;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeyStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times in-process generations with the generation flags: W warm-ups (JIT), then N timed runs, each
 * into a fresh temporary directory that is deleted afterwards. {@code --key_path}/{@code --key_id}
 * are ignored: benchmarks never touch real key directories.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark key-set generation.")
final class BenchCommand implements Callable<Integer> {
    private static final String BENCH_ID = "bench";

    @Mixin
    GenerateOptions options;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || warmup < 0) {
            throw io.evkeygen.error.KeygenException.usage("--iterations must be at least 1 and --warmup at least 0");
        }
        KeyGenerator.Builder builder = options.builder().keyId(BENCH_ID);
        List<Double> times = new ArrayList<>();
        KeyGenerator gen = null;
        for (int i = 0; i < warmup + iterations; i++) {
            Path tmp = Files.createTempDirectory("evkeygen-bench-");
            try {
                gen = builder.keyPath(tmp).build();
                long t0 = System.nanoTime();
                gen.generateKeys();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= warmup) {
                    times.add(ms);
                }
            } finally {
                KeyStores.local(tmp).delete(BENCH_ID);
                Files.deleteIfExists(tmp);
            }
        }
        print(summary(times, gen.backend(), gen.dims()));
        return 0;
    }

    private Map<String, Object> summary(List<Double> times, String backend, List<Integer> dims) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_ms", round(median));
        m.put("min_ms", round(sorted.get(0)));
        m.put("max_ms", round(sorted.get(n - 1)));
        m.put("mean_ms", round(sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        m.put("runs_ms", times.stream().map(BenchCommand::round).toList());
        m.put("backend", backend);
        m.put("threads", options.threadCount());
        m.put("iterations", iterations);
        m.put("warmup", warmup);
        m.putAll(options.describe(dims));
        return m;
    }

    private void print(Map<String, Object> m) throws java.io.IOException {
        if (json) {
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "%s %s dims %s: median %.1f ms (min %.1f, max %.1f) over %d runs, backend %s, %d threads",
                    m.get("preset"), m.get("eval_mode"), m.get("dims"), m.get("median_ms"), m.get("min_ms"),
                    m.get("max_ms"), iterations, m.get("backend"), m.get("threads")));
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
