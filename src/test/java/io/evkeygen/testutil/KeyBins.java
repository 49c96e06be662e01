package io.evkeygen.testutil;

import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/** The three .bin files of a seeded key set, generated in memory. */
public record KeyBins(byte[] secKey, byte[] encKey, byte[] evalKey) {

    /** A seed of 64 equal bytes. */
    public static byte[] seedOf(int value) {
        byte[] seed = new byte[64];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    public static KeyBins generate(KeyEngine engine, Parameters params, byte[] seed, EvalMode mode,
                                   List<Integer> dims, int threads) throws Exception {
        try (Seed s = Seed.of(seed); KeySetSession ks = engine.open(params, s, threads)) {
            ByteArrayOutputStream enc = new ByteArrayOutputStream();
            ByteArrayOutputStream eval = new ByteArrayOutputStream();
            ks.writeEncKeyBin(enc);
            ks.writeEvalKeyBin(EvalKeyLayout.of(params, mode, dims), eval);
            return new KeyBins(ks.secKeyBin(), enc.toByteArray(), eval.toByteArray());
        }
    }
}
