package io.evkeygen.bench;

import io.evkeygen.internal.engine.JavaKeyEngine;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.internal.engine.NativeKeyEngine;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.internal.nativecore.NativeBackend;
import io.evkeygen.internal.random.Prng;
import io.evkeygen.internal.random.PrngStream;
import io.evkeygen.internal.random.Samplers;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-run measurements for docs/BENCHMARKS.md (not a unit test):
 * <pre>
 *   java -cp CP io.evkeygen.bench.BackendBench bench        # .bin generation, both backends
 *   java -Xmx256m -cp CP io.evkeygen.bench.BackendBench flat4096 [threads]   # memory check
 *   java -cp CP io.evkeygen.bench.BackendBench ternary     # the secret sampler alone (IP0: n 4096, h 2730)
 * </pre>
 * Times cover SecKey, EncKey and EvalKey .bin data written to a counting null stream, in process.
 */
public final class BackendBench {
    private BackendBench() {}

    static final class Counting extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }

    static long generate(KeyEngine engine, EvalMode mode, List<Integer> dims, int threads) throws IOException {
        byte[] s = new byte[64];
        for (int i = 0; i < 64; i++) {
            s[i] = (byte) i;
        }
        Counting out = new Counting();
        try (Seed seed = Seed.of(s); KeySetSession ks = engine.open(Parameters.IP0, seed, threads)) {
            out.write(ks.secKeyBin());
            ks.writeEncKeyBin(out);
            ks.writeEvalKeyBin(EvalKeyLayout.of(Parameters.IP0, mode, dims), out);
        }
        return out.n;
    }

    static double bestMillis(KeyEngine e, EvalMode mode, List<Integer> dims, int threads, int reps)
            throws IOException {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            generate(e, mode, dims, threads);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "bench";
        if (what.equals("ternary")) {
            ternary();
            return;
        }
        System.out.println(NativeKeyEngine.status().describe());
        if (what.equals("flat4096")) {
            int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
            long t0 = System.nanoTime();
            long bytes = generate(NativeKeyEngine.load(), EvalMode.FLAT, List.of(4096), threads);
            Runtime rt = Runtime.getRuntime();
            System.out.printf("FLAT [4096], %d thread(s): %,d bytes of .bin data in %.1f s; max heap %d MB,"
                    + " heap in use at end %d MB%n", threads, bytes, (System.nanoTime() - t0) / 1e9,
                    rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
            return;
        }
        record W(String name, EvalMode mode, List<Integer> dims) {}
        List<W> loads = List.of(new W("RMP default (32..4096)", EvalMode.RMP, Dimensions.DEFAULT),
                new W("RMP [1024]", EvalMode.RMP, List.of(1024)), new W("MM [1024]", EvalMode.MM, List.of(1024)),
                new W("FLAT [256]", EvalMode.FLAT, List.of(256)));
        // warm-up (JIT, native tables)
        for (int i = 0; i < 5; i++) {
            generate(new JavaKeyEngine(), EvalMode.RMP, List.of(1024), 1);
            generate(NativeKeyEngine.load(), EvalMode.RMP, List.of(1024), 1);
        }
        System.out.println("| workload | backend | 1 thread (ms) | 2 threads (ms) |");
        System.out.println("|---|---|---|---|");
        for (W w : loads) {
            int reps = w.mode() == EvalMode.FLAT ? 5 : 10;
            System.out.printf("| %s | java | %.1f | %.1f |%n", w.name(),
                    bestMillis(new JavaKeyEngine(), w.mode(), w.dims(), 1, reps),
                    bestMillis(new JavaKeyEngine(), w.mode(), w.dims(), 2, reps));
            for (String level : NativeBackend.availableSimdLevels()) {
                if (level.equals("scalar")) {
                    continue; // software AES: see evkeygen_bench
                }
                NativeBackend.setSimdCap(level);
                System.out.printf("| %s | native %s | %.1f | %.1f |%n", w.name(), level,
                        bestMillis(NativeKeyEngine.load(), w.mode(), w.dims(), 1, reps),
                        bestMillis(NativeKeyEngine.load(), w.mode(), w.dims(), 2, reps));
            }
            NativeBackend.setSimdCap(null);
        }
    }

    /** Microseconds per Samplers.ternary(n 4096, h 2730): median and best of 200 after 200 warm-ups. */
    private static void ternary() {
        byte[] seedBytes = new byte[64];
        long[] us = new long[200];
        try (Prng prng = new Prng(Seed.of(seedBytes))) {
            long sink = 0;
            for (int r = -200; r < us.length; r++) {
                PrngStream st = prng.stream("secret" + r);
                long t0 = System.nanoTime();
                byte[] s = Samplers.ternary(st, 4096, 2730);
                long t = System.nanoTime() - t0;
                sink += s[r & 4095];
                if (r >= 0) {
                    us[r] = t / 1000;
                }
            }
            Arrays.sort(us);
            System.out.printf("Samplers.ternary n=4096 h=2730: median %d us, best %d us (sink %d)%n", us[us.length / 2],
                    us[0], sink);
        }
    }
}
