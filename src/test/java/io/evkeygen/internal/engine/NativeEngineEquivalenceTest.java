package io.evkeygen.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.internal.nativecore.NativeBackend;
import io.evkeygen.internal.nativecore.NativeKeyDataEncoder;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.secret.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native backend writes exactly the pure-Java backend's bytes: several seeds, every eval mode,
 * several dimension lists (the default list and FLAT 256 among them), at every SIMD level this
 * CPU has (through the library's process-wide cap) and several thread counts. Skips, saying why,
 * only when the native library is not available.
 */
class NativeEngineEquivalenceTest {
    private static final Parameters P = Parameters.IP0;

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeKeyEngine.isAvailable(), () -> "skipping: " + NativeKeyEngine.status().describe());
    }

    @AfterEach
    void resetCap() {
        if (NativeKeyEngine.isAvailable()) {
            NativeBackend.setSimdCap(null);
        }
    }

    /** Hashes what is written, keeping nothing (FLAT keys are large). */
    static final class DigestStream extends OutputStream {
        private final MessageDigest md;
        long count;

        DigestStream() throws Exception {
            md = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void write(int b) {
            md.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            md.update(b, off, len);
            count += len;
        }

        String hex() {
            return HexFormat.of().formatHex(md.digest()) + "/" + count;
        }
    }

    record Case(Parameters params, byte[] seed, EvalMode mode, List<Integer> dims) {
        Case(byte[] seed, EvalMode mode, List<Integer> dims) {
            this(P, seed, mode, dims);
        }

        @Override
        public String toString() {
            return params.preset() + " " + mode + " " + dims + " seed " + HexFormat.of().formatHex(seed, 0, 4) + "..";
        }
    }

    /** SecKey.bin, EncKey.bin (SHA-256 + length) and EvalKey.bin (SHA-256 + length). */
    static String[] bins(KeyEngine engine, Case c, int threads) throws Exception {
        try (Seed s = Seed.of(c.seed()); KeySetSession ks = engine.open(c.params(), s, threads)) {
            DigestStream enc = new DigestStream();
            DigestStream eval = new DigestStream();
            ks.writeEncKeyBin(enc);
            ks.writeEvalKeyBin(EvalKeyLayout.of(c.params(), c.mode(), c.dims()), eval);
            byte[] sec = ks.secKeyBin();
            assertEquals(EvalKeyLayout.of(c.params(), c.mode(), c.dims()).length(), eval.count, "EvalKey length " + c);
            return new String[] {HexFormat.of().formatHex(sec), enc.hex(), eval.hex()};
        }
    }

    static byte[] seed(int kind) {
        byte[] s = new byte[64];
        for (int i = 0; i < 64; i++) {
            s[i] = (byte) switch (kind) {
                case 0 -> i;                 // the golden seed
                case 1 -> 0xff;
                default -> i * 37 + 11;
            };
        }
        return s;
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byte[] s = seed(k);
            out.add(new Case(s, EvalMode.RMP, Dimensions.DEFAULT));
            out.add(new Case(s, EvalMode.FLAT, List.of(256)));
            out.add(new Case(s, EvalMode.MM, Dimensions.DEFAULT));
            if (k == 0) {
                out.add(new Case(s, EvalMode.RMP, List.of(1024)));
                out.add(new Case(s, EvalMode.RMP, List.of(32, 4096)));
                out.add(new Case(s, EvalMode.FLAT, List.of(32, 64, 128)));
                out.add(new Case(s, EvalMode.MM, List.of(512)));
                // every preset and a custom set: IP1's 20-bit P and a 55-bit Q exercise other moduli
                Parameters ip1 = Presets.byName("ip1");
                out.add(new Case(ip1, s, EvalMode.RMP, List.of(1024)));
                out.add(new Case(ip1, s, EvalMode.FLAT, List.of(64)));
                out.add(new Case(Parameters.custom(36028797014376449L, 2251799813554177L, 2048, 24.0, 24.0),
                        s, EvalMode.RMP, List.of(32)));
            }
        }
        return out;
    }

    @Test
    void nativeBytesEqualJavaBytesAtEverySimdLevel() throws Exception {
        List<String> levels = NativeBackend.availableSimdLevels();
        for (Case c : cases()) {
            String[] java = bins(new JavaKeyEngine(), c, 1);
            for (String level : levels) {
                assertEquals(level, NativeBackend.setSimdCap(level));
                int threads = c.mode() == EvalMode.FLAT ? 3 : 1;
                String[] nat = bins(NativeKeyEngine.load(), c, threads);
                assertArrayEquals(java, nat, c + " at " + level + ", " + threads + " threads");
            }
            NativeBackend.setSimdCap(null);
        }
    }

    /** The EvalKey is hashed and encoded where the native engine wrote it, not half in Java. */
    @Test
    void theNativeEngineHashesAndEncodesItsKeyDataNatively() {
        assertSame(NativeKeyDataEncoder.FACTORY, NativeKeyEngine.load().keyDataEncoders());
        assertSame(KeyDataEncoder.JAVA, new JavaKeyEngine().keyDataEncoders());
    }

    @Test
    void goldenDigestsAndThreadCounts() throws Exception {
        Case c = new Case(seed(0), EvalMode.RMP, List.of(1024));
        for (int threads : new int[] {1, 2, 4}) {
            try (Seed s = Seed.of(c.seed()); KeySetSession ks = NativeKeyEngine.load().open(P, s, threads)) {
                ByteArrayOutputStream enc = new ByteArrayOutputStream();
                DigestStream eval = new DigestStream();
                ks.writeEncKeyBin(enc);
                ks.writeEvalKeyBin(EvalKeyLayout.of(c.params(), c.mode(), c.dims()), eval);
                ks.writeEvalKeyBin(EvalKeyLayout.of(c.params(), c.mode(), c.dims()), new DigestStream()); // repeatable
                assertEquals(GoldenDigestTest.GOLDEN_SEC, GoldenDigestTest.sha256(ks.secKeyBin()));
                assertEquals(GoldenDigestTest.GOLDEN_ENC, GoldenDigestTest.sha256(enc.toByteArray()));
                assertEquals(GoldenDigestTest.GOLDEN_EVAL_RMP_1024, eval.hex().split("/")[0]);
            }
        }
    }

    @Test
    void closedSessionRefusesWorkAndCloseIsIdempotent() throws Exception {
        KeySetSession ks;
        try (Seed s = Seed.of(seed(1))) {
            ks = NativeKeyEngine.load().open(P, s, 2);
        }
        ks.close();
        ks.close();
        assertThrows(IllegalStateException.class, ks::secKeyBin);
        assertThrows(IllegalStateException.class, () -> ks.writeEncKeyBin(OutputStream.nullOutputStream()));
    }

    @Test
    void failingOutputStreamLeavesTheSessionUsable() throws Exception {
        try (Seed s = Seed.of(seed(2)); KeySetSession ks = NativeKeyEngine.load().open(P, s, 2)) {
            OutputStream broken = new OutputStream() {
                long n;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    n += len;
                    if (n > 300_000) {
                        throw new IOException("disk full");
                    }
                }
            };
            assertThrows(IOException.class, () -> ks.writeEvalKeyBin(EvalKeyLayout.of(P, EvalMode.RMP, Dimensions.DEFAULT), broken));
            DigestStream ok = new DigestStream();
            ks.writeEvalKeyBin(EvalKeyLayout.of(P, EvalMode.RMP, List.of(1024)), ok);
            assertEquals(EvalKeyLayout.of(P, EvalMode.RMP, List.of(1024)).length(), ok.count);
        }
    }
}
