package io.evkeygen.cli;

import com.sun.management.OperatingSystemMXBean;
import io.evkeygen.KeyGenerator;
import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    /** Not a subcommand's name: the child CLI would read "bench" after --key_id as the subcommand. */
    private static final String ONESHOT_ID = "oneshot-set";

    @Mixin
    GenerateOptions options;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--oneshot", paramLabel = "N", defaultValue = "0",
            description = "Time N whole-process runs of the CLI (JVM start, generation, write, fsync) with the"
                    + " generation flags given, as a user of the command line sees it (after --warmup runs).")
    int oneshot;

    @Option(names = "--oneshot_jar",
            description = "With --oneshot: time java -jar even when the launcher (evkeygen) is beside the jar.")
    boolean oneshotJar;

    @Option(names = "--concurrent", paramLabel = "K", defaultValue = "0",
            description = "Throughput of K generations at once in this JVM (each worker: --warmup, then --iterations"
                    + " sets), against one at a time measured in the same run: sets_per_s and speedup.")
    int concurrent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || warmup < 0) {
            throw KeygenException.usage("--iterations must be at least 1 and --warmup at least 0");
        }
        if (concurrent < 0 || concurrent > 256) {
            throw KeygenException.usage("--concurrent must be 1..256");
        }
        if (oneshot < 0) {
            throw KeygenException.usage("--oneshot must be at least 1");
        }
        // One generator for every run: each writes into a temporary directory of its own.
        try (KeyGenerator gen = options.builder().keyId(BENCH_ID).build()) {
            if (concurrent > 0) {
                return concurrentRun(gen);
            }
            if (oneshot > 0) {
                return oneshotRun(gen);
            }
            return inProcessRun(gen);
        }
    }

    /** W warm-ups then N timed generations, one after another. */
    private int inProcessRun(KeyGenerator gen) throws Exception {
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            Timed t = timedGeneration(gen);
            if (i >= warmup) {
                times.add(t.wallMs());
                cpu.add(t.cpuMs());
            }
        }
        Map<String, Object> m = summary(times, gen.backend(), gen.dims());
        if (processCpuNanos() >= 0) {
            // all threads' CPU while a set is made (JIT and GC threads too): its wall time >= cpu / cores.
            // The mean: the JVM reads process CPU time in 10 ms ticks, which average out over the runs.
            m.put("cpu_ms", round(cpu.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        }
        print(m);
        return 0;
    }

    /** One at a time, then K at once, in this JVM: each phase warms up, then all workers start together. */
    private int concurrentRun(KeyGenerator gen) throws Exception {
        Throughput one = throughput(gen, 1);
        Throughput many = concurrent == 1 ? one : throughput(gen, concurrent);
        Map<String, Object> m = summary(many.times, gen.backend(), gen.dims());
        m.put("concurrent", concurrent);
        m.put("iterations", iterations * concurrent);
        m.put("sets_per_s", round(many.setsPerSecond));
        m.put("sets_per_s_one_at_a_time", round(one.setsPerSecond));
        m.put("speedup", Math.round(many.setsPerSecond / one.setsPerSecond * 100) / 100.0);
        if (json) {
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "%s %s dims %s: %d at once %.1f sets/s, one at a time %.1f sets/s, speedup %.2f (backend %s, %d"
                            + " threads per set)", m.get("preset"), m.get("eval_mode"), m.get("dims"), concurrent,
                    m.get("sets_per_s"), m.get("sets_per_s_one_at_a_time"), m.get("speedup"), m.get("backend"),
                    m.get("threads")));
        }
        return 0;
    }

    /** Whole-process runs: this CLI started anew (same jar or class path) for each generation. */
    private int oneshotRun(KeyGenerator gen) throws Exception {
        List<String> command = new ArrayList<>(childCommand());
        command.addAll(generationArgs());
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + oneshot; i++) {
            Path tmp = Files.createTempDirectory("evkeygen-oneshot-");
            try {
                List<String> c = new ArrayList<>(command);
                c.addAll(List.of("--key_path", tmp.toString(), "--key_id", ONESHOT_ID));
                ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("JAVA", javaBinary()); // the launcher runs this JVM, as java -jar would
                long t0 = System.nanoTime();
                int rc = pb.start().waitFor();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (rc != 0) {
                    throw new KeygenException(KeygenException.Kind.FAILURE,
                            "a one-shot run exited " + rc + ": " + String.join(" ", c));
                }
                if (i >= warmup) {
                    times.add(ms);
                }
            } finally {
                KeyStores.local(tmp).delete(ONESHOT_ID);
                Files.deleteIfExists(tmp);
            }
        }
        Map<String, Object> m = summary(times, gen.backend(), gen.dims());
        m.put("oneshot", oneshot);
        m.put("iterations", oneshot);
        m.put("command", String.join(" ", command));
        print(m);
        return 0;
    }

    /**
     * What a user runs: the launcher beside this jar ({@code target/evkeygen}) when it is there and
     * {@code --oneshot_jar} is not given, else {@code java -jar <this jar>}, or {@code java -cp <class
     * path> io.evkeygen.cli.Main} when run from classes.
     */
    private List<String> childCommand() throws Exception {
        Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
            Path launcher = self.resolveSibling("evkeygen");
            if (!oneshotJar && Files.isExecutable(launcher) && Files.isRegularFile(launcher)) {
                return List.of(launcher.toString());
            }
            return List.of(javaBinary(), "-jar", self.toString());
        }
        return List.of(javaBinary(), "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The generation flags this bench was given, without the bench's own and the target's. */
    private List<String> generationArgs() {
        List<String> out = new ArrayList<>();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        Set<String> withValue = Set.of("--iterations", "--warmup", "--oneshot", "--concurrent",
                "--key_path", "--key-path", "--key_id", "--key-id");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (a.equals("bench") || a.equals("--json") || a.equals("--oneshot_jar")) {
                continue;
            }
            if (withValue.contains(name)) {
                if (!a.contains("=")) {
                    i++;
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    private record Throughput(double setsPerSecond, List<Double> times) {}

    private Throughput throughput(KeyGenerator gen, int workers) throws Exception {
        CyclicBarrier start = new CyclicBarrier(workers + 1);
        CyclicBarrier end = new CyclicBarrier(workers + 1);
        List<Double> times = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < warmup; i++) {
                        timedGeneration(gen);
                    }
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        times.add(timedGeneration(gen).wallMs());
                    }
                    end.await();
                    return null;
                }));
            }
            start.await();
            long t0 = System.nanoTime();
            end.await();
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (var f : futures) {
                f.get();
            }
            return new Throughput(workers * (double) iterations / seconds, times);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The wall-clock and process CPU time of one generation, in ms (CPU negative where the JVM does not tell). */
    private record Timed(double wallMs, double cpuMs) {}

    /** One generation into a fresh temporary directory (deleted afterwards). */
    private static Timed timedGeneration(KeyGenerator gen) throws Exception {
        Path tmp = Files.createTempDirectory("evkeygen-bench-");
        try {
            KeyStore store = KeyStores.local(tmp);
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            gen.generateKeys(store);
            double wall = (System.nanoTime() - t0) / 1e6;
            return new Timed(wall, (processCpuNanos() - cpu0) / 1e6);
        } finally {
            KeyStores.local(tmp).delete(BENCH_ID);
            Files.deleteIfExists(tmp);
        }
    }

    /** The process's CPU time so far, all threads, in ns; -1 where the JVM does not tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
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

    private void print(Map<String, Object> m) throws IOException {
        if (json) {
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "%s %s dims %s: median %.1f ms (min %.1f, max %.1f) over %d runs, backend %s, %d threads%s",
                    m.get("preset"), m.get("eval_mode"), m.get("dims"), m.get("median_ms"), m.get("min_ms"),
                    m.get("max_ms"), iterations, m.get("backend"), m.get("threads"),
                    m.containsKey("cpu_ms") ? String.format(Locale.ROOT, ", CPU %.1f ms per set", m.get("cpu_ms")) : ""));
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
