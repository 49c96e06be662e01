package io.evkeygen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.evkeygen.KeyGenerator;
import io.evkeygen.KeyStores;
import io.evkeygen.cli.Main;
import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.KmsClient.Status;
import io.evkeygen.kms.KmsClient;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.params.Parameters;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.ScoreCiphertexts;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The KMS's performance (issue 23 item 5, docs/BENCHMARKS.md "Issue 23: the KMS"). A {@link KmsServer}
 * in this JVM, plaintext on loopback, over a local store in a temporary directory on the disk
 * ({@code java.io.tmpdir}), sealing with an AES master key; its clients are {@link KmsClient}s in this
 * JVM, each with a channel of its own.
 *
 * <ul>
 *   <li>{@code throughput}: GenerateKey-to-READY with 1, 4 and 16 clients (each a fresh key id per set,
 *       then GetKeyStatus every {@code poll_ms} until READY), against {@code bench --concurrent 4} with
 *       the same dims, run in this JVM before and after; p50/p99 of GetKeyStatus and EncryptMetadata
 *       from a separate probe client, idle and under a second 4-client run (not the one whose
 *       throughput is reported: the probe's calls take CPU from the generations). The warm-up
 *       (4 clients, {@code warmup} sets; bench gets a quarter of it per worker) brings the server to
 *       its steady state: with 16 sets, C2 was still compiling gRPC, Netty and protobuf during the
 *       measured phases, some 3 ms of CPU per set that a running server does not pay.</li>
 *   <li>{@code download}: DownloadKey MB/s of the default set's EvalKey and of a FLAT 4096 EvalKey
 *       (generated through a second KMS with dims [4096]), into a discarding stream.</li>
 * </ul>
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.evkeygen.bench.KmsBench throughput \
 *     [dims=32,64,...,2048] [sets=200] [warmup=400] [poll_ms=20] [generation_threads=N]
 * java ... io.evkeygen.bench.KmsBench calls [calls=3000] [rounds=3]
 * java ... io.evkeygen.bench.KmsBench download [rounds=5] [flat=true]
 * java ... io.evkeygen.bench.KmsBench topk [ciphertexts=64] [calls=200] [warmup=50]</pre>
 */
public final class KmsBench {
    private static final String TOKEN = "kms-bench-token-0123456789";
    private static final Pattern SETS_PER_S = Pattern.compile("\"sets_per_s\" *: *([0-9.]+)");

    private final List<Integer> dims;
    private final int pollMs;
    private final Path dir;
    private final KmsServer server;
    private final AtomicInteger ids = new AtomicInteger();
    /** How long each GenerateKey call took (claiming the id: its record written and synced). */
    private final List<Double> generateCalls = Collections.synchronizedList(new ArrayList<>());

    private KmsBench(List<Integer> dims, int pollMs, int generationThreads) throws Exception {
        this.dims = dims;
        this.pollMs = pollMs;
        this.dir = Files.createTempDirectory("evkeygen-kmsbench-");
        Path keys = dir.resolve("keys");
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "bench * " + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8))) + "\n");
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        KmsServer.Builder b = KmsServer.builder().listen("127.0.0.1", 0).plaintext()
                .store(KeyStores.local(keys), keys).master(KekProvider.aes(kek)).tokens(tokens).dims(dims)
                .audit(line -> { });
        if (generationThreads > 0) {
            b.generationThreads(generationThreads);
        }
        server = b.build().start();
    }

    private KmsClient client() {
        return KmsClient.builder("127.0.0.1:" + server.port()).insecure().auth(ServerAuth.token(TOKEN))
                .callTimeout(Duration.ofMinutes(10)).build();
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "throughput";
        Args a = new Args(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
        List<Integer> dims = a.ints("dims", KmsServer.DEFAULT_DIMS);
        System.out.printf(Locale.ROOT, "# KmsBench %s, %d CPUs, %s, max heap %d MB, tmpdir %s, load %s%n", mode,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.io.tmpdir"), load());
        KmsBench bench = new KmsBench(dims, a.integer("poll_ms", 20), a.integer("generation_threads", 0));
        try {
            if (mode.equals("topk")) {
                bench.topK(a.integer("ciphertexts", 64), a.integer("calls", 200), a.integer("warmup", 50));
            } else if (mode.equals("calls")) {
                bench.calls(a.integer("calls", 3000), a.integer("rounds", 3));
            } else if (mode.equals("download")) {
                bench.download(a.integer("rounds", 5), Boolean.parseBoolean(a.text("flat", "true")));
            } else {
                bench.throughput(a.integer("sets", 200), a.integer("warmup", 400));
            }
        } finally {
            bench.server.shutdown(Duration.ofSeconds(5));
            deleteTree(bench.dir);
        }
    }

    private void throughput(int sets, int warmup) throws Exception {
        generateAll(4, warmup, null); // the JIT, the channels, the store's directories
        double bench1 = cliBench(sets, warmup);
        List<String> lines = new ArrayList<>();
        double at4 = 0;
        try (KmsClient probeClient = client()) {
            String probeId = "probe";
            probeClient.generateKey(probeId, KeySpec.DEFAULTS);
            probeClient.waitForKey(probeId, Duration.ofMinutes(5));
            Probe idle = new Probe(probeClient, probeId);
            long cpu0 = cpuNanos();
            idle.runFor(Duration.ofSeconds(5));
            lines.add(String.format(Locale.ROOT, "probe idle: %s; CPU %.2f ms per GetKeyStatus + EncryptMetadata pair"
                    + " (client and server)", idle, (cpuNanos() - cpu0) / 1e6 / idle.status.size()));
            // the three client counts alone, then 4 clients again with the probe beside them (its calls cost CPU)
            for (int c : List.of(1, 4, 16, -4)) {
                Probe probe = c < 0 ? new Probe(probeClient, probeId) : null;
                c = Math.abs(c);
                generateCalls.clear();
                Result r = generateAll(c, sets, probe);
                double[] calls = generateCalls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                if (c == 4 && probe == null) {
                    at4 = r.sets / r.seconds;
                }
                lines.add(String.format(Locale.ROOT, "kms clients=%d: %d sets in %.2f s = %.2f sets/s; GenerateKey-to-READY"
                        + " p50 %.0f ms, p99 %.0f ms; the GenerateKey call p50 %.1f ms, p99 %.1f ms; CPU %.1f ms per set", c,
                        r.sets, r.seconds, r.sets / r.seconds, pct(r.ms, 50), pct(r.ms, 99), pct(calls, 50), pct(calls, 99),
                        r.cpuMsPerSet));
                if (probe != null) {
                    lines.add("probe under 4 clients: " + probe);
                }
                System.out.println(lines.get(lines.size() - (probe != null ? 2 : 1)));
            }
        }
        double bench2 = cliBench(sets, warmup);
        String sealed = sealedDirect(sets);
        System.out.println("# summary, dims " + dims + ", poll " + pollMs + " ms, load " + load());
        lines.forEach(System.out::println);
        System.out.println(sealed);
        System.out.printf(Locale.ROOT, "bench --concurrent 4: %.2f then %.2f sets/s; KMS at 4 clients / their mean:"
                + " %.2fx%n", bench1, bench2, at4 / ((bench1 + bench2) / 2));
    }

    /**
     * The CPU of one call, client and server together: {@code rounds} times, 2 s idle, then
     * {@code calls} GetKeyStatus and as many EncryptMetadata back to back on one READY key. The rounds
     * show the JIT at work: the first costs several times the last.
     */
    private void calls(int calls, int rounds) throws Exception {
        try (KmsClient kms = client()) {
            kms.generateKey("calls", KeySpec.DEFAULTS);
            kms.waitForKey("calls", Duration.ofMinutes(5));
            for (int round = 1; round <= rounds; round++) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(2000);
                double idle = (cpuNanos() - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
                cpu0 = cpuNanos();
                t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    kms.keyStatus("calls");
                }
                double statusCpu = (cpuNanos() - cpu0) / 1e6 / calls;
                double statusWall = (System.nanoTime() - t0) / 1e6 / calls;
                cpu0 = cpuNanos();
                t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    kms.encryptMetadata("calls", List.of("doc-42: a short string"));
                }
                System.out.printf(Locale.ROOT, "round %d: idle %.1f ms CPU per s; GetKeyStatus %.3f ms CPU, %.3f ms wall"
                        + " per call; EncryptMetadata %.3f ms CPU, %.3f ms wall per call%n", round, idle, statusCpu,
                        statusWall, (cpuNanos() - cpu0) / 1e6 / calls, (System.nanoTime() - t0) / 1e6 / calls);
            }
        }
    }

    /**
     * What the KMS's generation threads do, without the KMS: 4 threads each building a sealing
     * generator per set (as {@code Generations} does) and saving into a fresh local store.
     */
    private String sealedDirect(int sets) throws Exception {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        Path root = Files.createTempDirectory(dir, "direct-");
        int each = Math.max(1, sets / 4);
        CyclicBarrier start = new CyclicBarrier(5);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (KekProvider master = KekProvider.aes(kek)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        try (KeyGenerator g = KeyGenerator.builder().keyId("d-" + ids.incrementAndGet()).dims(dims)
                                .seal(master).build()) {
                            g.generateKeys(KeyStores.local(root));
                        }
                    }
                    return null;
                }));
            }
            start.await();
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "sealed direct, 4 threads, a generator per set: %.2f sets/s, CPU %.1f ms per set",
                    4 * each / seconds, (cpuNanos() - cpu0) / 1e6 / (4 * each));
        } finally {
            pool.shutdownNow();
            deleteTree(root);
        }
    }

    /** {@code bench --concurrent 4} with the server's dims, in this JVM; its sets per second at 4 at once. */
    private double cliBench(int sets, int warmup) {
        List<String> cmd = new ArrayList<>(List.of("bench", "--concurrent", "4", "--iterations",
                String.valueOf(Math.max(1, sets / 4)), "--warmup", String.valueOf(Math.max(1, warmup / 4)), "--json"));
        dims.forEach(d -> cmd.addAll(List.of("--dim", String.valueOf(d))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long cpu0 = cpuNanos();
        int rc = Main.run(cmd.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8).replaceAll("\"runs_ms\" *: *\\[[^]]*\\],?", "").trim();
        if (rc != 0) {
            throw new IllegalStateException("bench exited " + rc + ": " + err.toString(StandardCharsets.UTF_8));
        }
        // every set it made: each phase (one worker, then 4) runs its warm-ups and iterations per worker
        int made = 5 * (Math.max(1, sets / 4) + Math.max(1, warmup / 4));
        System.out.println("evkeygen " + String.join(" ", cmd) + "\n" + json.replaceAll("\\s+", " ")
                + String.format(Locale.ROOT, "%nbench CPU %.1f ms per set (%d sets, warm-ups and the one-at-a-time phase included)",
                (cpuNanos() - cpu0) / 1e6 / made, made));
        Matcher m = SETS_PER_S.matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private record Result(int sets, double seconds, double[] ms, double cpuMsPerSet) {}

    /** CPU time so far of each live Java thread, summed by name with its digits replaced by N. */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new TreeMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            long ns = t == null ? -1 : mx.getThreadCpuTime(t.getThreadId());
            if (ns > 0) {
                m.merge(t.getThreadName().replaceAll("[0-9]+", "N"), ns, Long::sum);
            }
        }
        return m;
    }

    /** Per set, the CPU of each thread group in the phase; the rest (JIT, GC, native workers) is the difference. */
    private static void printThreadCpu(Map<String, Long> before, Map<String, Long> after, double cpuMs, int sets) {
        double named = 0;
        StringBuilder sb = new StringBuilder("  CPU ms per set by thread:");
        for (var e : after.entrySet()) {
            double ms = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e6 / sets;
            named += ms;
            if (ms >= 0.1) {
                sb.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), ms));
            }
        }
        System.out.println(sb.append(String.format(Locale.ROOT, " other (JIT, GC, native threads) %.1f", cpuMs / sets - named)));
    }

    /** The process's CPU time so far (all threads: the server's, the clients', the JIT's), in ns. */
    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * {@code clients} clients, each with a channel of its own, generate {@code sets} sets between them
     * (fresh key ids, GetKeyStatus every poll until READY), all starting together; the sets are
     * deleted afterwards. A probe, when given, runs beside them until they finish.
     */
    private Result generateAll(int clients, int sets, Probe probe) throws Exception {
        int each = Math.max(1, sets / clients);
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        List<Double> times = Collections.synchronizedList(new ArrayList<>());
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        List<KmsClient> open = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                KmsClient kms = client();
                open.add(kms);
                kms.health(); // connected before the clock starts
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String id = "set-" + ids.incrementAndGet();
                        long t0 = System.nanoTime();
                        untilReady(kms, id);
                        times.add((System.nanoTime() - t0) / 1e6);
                        made.add(id);
                    }
                    return null;
                }));
            }
            AtomicBoolean done = new AtomicBoolean();
            Future<?> probing = probe == null ? null : pool.submit(() -> probe.runWhile(done));
            start.await();
            long t0 = System.nanoTime();
            long cpu0 = cpuNanos();
            Map<String, Long> threads0 = threadCpu();
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (cpuNanos() - cpu0) / 1e6;
            if (System.getProperty("kmsbench.threads") != null) {
                printThreadCpu(threads0, threadCpu(), cpuMs, each * clients);
            }
            done.set(true);
            if (probing != null) {
                probing.get();
            }
            try (KmsClient kms = client()) {
                for (String id : made) {
                    kms.delete(id, "bench");
                }
            }
            return new Result(each * clients, seconds, times.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                    cpuMs / (each * clients));
        } finally {
            pool.shutdownNow();
            open.forEach(KmsClient::close);
        }
    }

    private void untilReady(KmsClient kms, String id) throws InterruptedException {
        long t0 = System.nanoTime();
        Status s = kms.generateKey(id, KeySpec.DEFAULTS).status();
        generateCalls.add((System.nanoTime() - t0) / 1e6);
        while (s != Status.READY) {
            if (s == Status.FAILED) {
                throw new IllegalStateException("generation of " + id + " failed");
            }
            Thread.sleep(pollMs);
            s = kms.keyStatus(id);
        }
    }

    /** GetKeyStatus and EncryptMetadata (one short string) on a READY key, one after the other, every 10 ms. */
    private static final class Probe {
        private final KmsClient kms;
        private final String keyId;
        private final List<Double> status = new ArrayList<>();
        private final List<Double> encrypt = new ArrayList<>();

        Probe(KmsClient kms, String keyId) {
            this.kms = kms;
            this.keyId = keyId;
        }

        void runFor(Duration d) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                once();
            }
        }

        Void runWhile(AtomicBoolean done) throws InterruptedException {
            while (!done.get()) {
                once();
            }
            return null;
        }

        private void once() throws InterruptedException {
            long t0 = System.nanoTime();
            if (kms.keyStatus(keyId) != Status.READY) {
                throw new IllegalStateException("the probe key is not READY");
            }
            long t1 = System.nanoTime();
            if (kms.encryptMetadata(keyId, List.of("doc-42: a short string")).get(0).length != 12 + 16 + 22) {
                throw new IllegalStateException("unexpected ciphertext length");
            }
            long t2 = System.nanoTime();
            status.add((t1 - t0) / 1e6);
            encrypt.add((t2 - t1) / 1e6);
            Thread.sleep(10);
        }

        @Override
        public String toString() {
            double[] s = status.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] e = encrypt.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return String.format(Locale.ROOT, "%d calls each; GetKeyStatus p50 %.2f ms p99 %.2f ms;"
                    + " EncryptMetadata p50 %.2f ms p99 %.2f ms", s.length, pct(s, 50), pct(s, 99), pct(e, 50), pct(e, 99));
        }
    }

    private void download(int rounds, boolean flat) throws Exception {
        try (KmsClient kms = client()) {
            kms.generateKey("default", KeySpec.DEFAULTS);
            kms.waitForKey("default", Duration.ofMinutes(5));
            downloadRounds(kms, "default", "default set (dims " + dims + ")", rounds);
        }
        if (!flat) {
            return;
        }
        KmsBench flatKms = new KmsBench(List.of(4096), pollMs, 0);
        try (KmsClient kms = flatKms.client()) {
            long t0 = System.nanoTime();
            kms.generateKey("flat", new KeySpec(null, "FLAT", null, null));
            kms.waitForKey("flat", Duration.ofHours(1));
            System.out.printf(Locale.ROOT, "FLAT 4096 generated through the KMS in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            flatKms.downloadRounds(kms, "flat", "FLAT 4096", Math.min(rounds, 2));
        } finally {
            flatKms.server.shutdown(Duration.ofSeconds(5));
            deleteTree(flatKms.dir);
        }
    }

    /**
     * TopK through the service: {@code ciphertexts} level-0 one-block score ciphertexts (4,096 items
     * each) encrypted under the EncKey the KMS hands out, k = 10, {@code calls} timed calls after
     * {@code warmup}; the wall time of each {@code KmsClient.topKOf} (request encoding, gRPC on loopback,
     * the server's state check and decryption, the ranking, the answer).
     */
    private void topK(int count, int calls, int warmup) throws Exception {
        try (KmsClient kms = client()) {
            kms.generateKey("scores", KeySpec.DEFAULTS);
            kms.waitForKey("scores", Duration.ofMinutes(5));
            ByteArrayOutputStream enc = new ByteArrayOutputStream();
            kms.download("scores", KeyFile.ENC_KEY, enc);
            JsonNode entry = new ObjectMapper().readTree(enc.toByteArray()).get("entries").get(0);
            byte[] encKeyBin = Base64.getDecoder().decode(entry.get("key_data").asText());
            Parameters params = Parameters.forPreset(entry.get("metadata").get("parameter").get("preset").asText());
            Random rnd = new Random(23);
            List<byte[]> scores = new ArrayList<>();
            long bytes = 0;
            for (int c = 0; c < count; c++) {
                double[] v = new double[ScoreCiphertexts.N];
                for (int j = 0; j < v.length; j++) {
                    v[j] = rnd.nextDouble() - 0.5;
                }
                byte[] ct = ScoreCiphertexts.encrypt(params, encKeyBin, v, 32, Math.pow(2, 2 * params.dbScale()), 0, 1, rnd);
                scores.add(ct);
                bytes += ct.length;
            }
            double[] ms = new double[calls];
            for (int i = 0; i < warmup + calls; i++) {
                long t0 = System.nanoTime();
                kms.topKOf("scores", scores, 10, null, List.of());
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "TopK through the KMS: %d ciphertexts (%d items, %.1f MB), k=10, %d calls after %d:"
                    + " p50 %.1f ms, p99 %.1f ms, max %.1f ms (load %s)%n", count, count * (long) ScoreCiphertexts.N,
                    bytes / 1e6, calls, warmup, pct(ms, 50), pct(ms, 99), ms[ms.length - 1], load());
        }
    }

    private void downloadRounds(KmsClient kms, String keyId, String what, int rounds) throws Exception {
        List<String> rates = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            bytes = kms.download(keyId, KeyFile.EVAL_KEY, OutputStream.nullOutputStream());
            double s = (System.nanoTime() - t0) / 1e9;
            rates.add(String.format(Locale.ROOT, "%.0f", bytes / 1e6 / s));
        }
        System.out.printf(Locale.ROOT, "DownloadKey EvalKey of the %s: %.1f MB, MB/s per round: %s (load %s)%n", what,
                bytes / 1e6, String.join(", ", rates), load());
    }

    private static double pct(double[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN
                : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code name=value} arguments. */
    private record Args(String[] args) {
        String text(String name, String otherwise) {
            for (String s : args) {
                if (s.startsWith(name + "=")) {
                    return s.substring(name.length() + 1);
                }
            }
            return otherwise;
        }

        int integer(String name, int otherwise) {
            return Integer.parseInt(text(name, String.valueOf(otherwise)));
        }

        List<Integer> ints(String name, List<Integer> otherwise) {
            String v = text(name, null);
            return v == null ? otherwise : Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
        }
    }
}
