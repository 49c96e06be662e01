package io.evkeygen.bench;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.RankedScore;
import io.evkeygen.ScoreDecryptor;
import io.evkeygen.testutil.ScoreCiphertexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

/**
 * TopK decryption (docs/BENCHMARKS.md, "TopK decryption"): {@code ScoreDecryptor.topK} over 64 level-0
 * one-block ciphertexts (262,144 items), k = 10, IP0 at the default scale, the KMS's default dims
 * (RMP 32 to 2048, pad rank 32). Prints p50/p99 of the calls after a warm-up.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.evkeygen.bench.TopKBench [calls] [warmup]</pre>
 */
public final class TopKBench {
    private static final int CIPHERTEXTS = 64;
    private static final int K = 10;

    private TopKBench() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("evkeygen-topk-");
        KeySet keys;
        try (KeyGenerator g = KeyGenerator.builder().keyPath(dir).keyId("bench").dims(32, 64, 128, 256, 512, 1024, 2048)
                .metadataEncryption(false).build()) {
            keys = KeySet.load(g.generateKeys());
        }
        Random rnd = new Random(23);
        List<byte[]> cts = new ArrayList<>();
        for (int i = 0; i < CIPHERTEXTS; i++) {
            double[] v = new double[ScoreCiphertexts.N];
            for (int j = 0; j < v.length; j++) {
                v[j] = rnd.nextDouble() * 1.8 - 0.9;
            }
            if (i == 41) {
                v[1234] = 0.99; // the expected winner, checked on every call
            }
            cts.add(ScoreCiphertexts.encrypt(keys.parameters(), keys.encKeyBytes(), v, 32, 0x1p48, 0, 1, rnd));
        }
        long bytes = cts.stream().mapToLong(c -> c.length).sum();
        try (ScoreDecryptor d = ScoreDecryptor.of(keys)) {
            for (int i = 0; i < warmup; i++) {
                check(d.topK(cts, K, null, null));
            }
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                List<RankedScore> top = d.topK(cts, K, null, null);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                check(top);
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "TopK: %d ciphertexts (%d items, %.1f MB), k=%d, %d calls after %d warm-up,"
                    + " common pool parallelism %d, %d CPUs%n", CIPHERTEXTS, CIPHERTEXTS * ScoreCiphertexts.N, bytes / 1e6,
                    K, calls, warmup, ForkJoinPool.getCommonPoolParallelism(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  min %.2f ms  max %.2f ms%n",
                    pct(ms, 50), pct(ms, 90), pct(ms, 99), ms[0], ms[ms.length - 1]);
            System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static void check(List<RankedScore> top) {
        if (top.size() != K || top.get(0).shardIdx() != 41 || top.get(0).rowIdx() != 1234) {
            throw new IllegalStateException("unexpected ranking: " + top.get(0));
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
