package io.evkeygen.bench;

import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;

/**
 * The physical floor of writing the default key set (docs/BENCHMARKS.md): each stage of the
 * pipeline alone, single-threaded, on the real 12.8 MB EvalKey.bin, best of many runs.
 *
 * <pre>java -cp target/evkeygen.jar:target/test-classes io.evkeygen.bench.FloorBench [backend]</pre>
 */
public final class FloorBench {
    private static final int RUNS = 25;

    private FloorBench() {}

    interface Stage {
        void run() throws Exception;
    }

    static double best(Stage s) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            s.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        KeyEngine engine = EngineSelector.select(args.length > 0 ? args[0] : "auto");
        Parameters p = Parameters.IP0;
        EvalKeyLayout layout = EvalKeyLayout.of(p, EvalMode.RMP, Dimensions.DEFAULT);
        int size = (int) layout.length();
        byte[][] bin = new byte[1][];
        double gen = best(() -> {
            try (Seed s = Seed.of(new byte[64]); KeySetSession ks = engine.open(p, s, 1)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(size + (int) BinLayout.encKeyLength(p));
                ks.writeEncKeyBin(out);
                ks.writeEvalKeyBin(layout, out);
                bin[0] = out.toByteArray();
            }
        });
        byte[] data = Arrays.copyOf(bin[0], size / 3 * 3);
        byte[] text = new byte[data.length / 3 * 4];
        double sha = best(() -> MessageDigest.getInstance("SHA-256").digest(data));
        double b64java = best(() -> Base64Encoder.JAVA.encodeTriples(data, 0, data.length, text, 0));
        double b64engine = best(() -> engine.base64Encoder().encodeTriples(data, 0, data.length, text, 0));
        Path dir = Files.createTempDirectory("evkeygen-floor-");
        double[] write = {Double.MAX_VALUE};
        double[] sync = {Double.MAX_VALUE};
        for (int i = 0; i < RUNS; i++) {
            Path f = dir.resolve("f" + i);
            long t0 = System.nanoTime();
            try (FileOutputStream out = new FileOutputStream(f.toFile())) {
                out.write(text);
                long t1 = System.nanoTime();
                out.getChannel().force(false);
                long t2 = System.nanoTime();
                write[0] = Math.min(write[0], (t1 - t0) / 1e6);
                sync[0] = Math.min(sync[0], (t2 - t1) / 1e6);
            }
            Files.delete(f);
        }
        Files.delete(dir);
        double mb = data.length / 1e6;
        double tmb = text.length / 1e6;
        System.out.printf(Locale.ROOT, "backend %s, EncKey+EvalKey .bin %.1f MB, JSON key_data %.1f MB%n",
                engine.name(), mb, tmb);
        System.out.printf(Locale.ROOT, "generate .bin        %6.1f ms%n", gen);
        System.out.printf(Locale.ROOT, "SHA-256 (JDK)        %6.1f ms  %6.0f MB/s%n", sha, mb / sha * 1e3);
        System.out.printf(Locale.ROOT, "base64 java          %6.1f ms  %6.0f MB/s%n", b64java, mb / b64java * 1e3);
        System.out.printf(Locale.ROOT, "base64 %-13s %6.1f ms  %6.0f MB/s%n", engine.base64Encoder().name(), b64engine,
                mb / b64engine * 1e3);
        System.out.printf(Locale.ROOT, "write (page cache)   %6.1f ms  %6.0f MB/s%n", write[0], tmb / write[0] * 1e3);
        System.out.printf(Locale.ROOT, "fdatasync            %6.1f ms%n", sync[0]);
        System.out.printf(Locale.ROOT, "sum of stages        %6.1f ms%n", gen + sha + b64engine + write[0] + sync[0]);
    }
}
