package io.evkeygen.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.testutil.KeyBins;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded output is a fixed function of the seed (docs/ALGORITHMS.md): these digests pin it, so any
 * change to the PRNG, samplers, NTT or layouts shows up here, and every backend must reproduce them.
 */
class GoldenDigestTest {
    static final Parameters P = Parameters.IP0;

    static byte[] seed() {
        byte[] s = new byte[64];
        for (int i = 0; i < 64; i++) {
            s[i] = (byte) i;
        }
        return s;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[][] bins(KeyEngine engine, EvalMode mode, List<Integer> dims, int threads) throws Exception {
        return bins(engine, P, mode, dims, threads);
    }

    static byte[][] bins(KeyEngine engine, Parameters params, EvalMode mode, List<Integer> dims, int threads)
            throws Exception {
        KeyBins k = KeyBins.generate(engine, params, seed(), mode, dims, threads);
        return new byte[][] {k.secKey(), k.encKey(), k.evalKey()};
    }

    @Test
    void seededRmp1024MatchesGoldenDigests() throws Exception {
        byte[][] b = bins(new JavaKeyEngine(), EvalMode.RMP, List.of(1024), 1);
        assertEquals(GOLDEN_SEC, sha256(b[0]));
        assertEquals(GOLDEN_ENC, sha256(b[1]));
        assertEquals(GOLDEN_EVAL_RMP_1024, sha256(b[2]));
        assertEquals(EvalKeyLayout.of(P, EvalMode.RMP, List.of(1024)).length(), b[2].length);
    }

    @Test
    void outputDoesNotDependOnThreadCountOrRepetition() throws Exception {
        for (EvalMode mode : new EvalMode[] {EvalMode.RMP, EvalMode.FLAT}) {
            List<Integer> dims = mode == EvalMode.RMP ? Dimensions.DEFAULT : List.of(32, 128);
            byte[][] one = bins(new JavaKeyEngine(), mode, dims, 1);
            byte[][] two = bins(new JavaKeyEngine(), mode, dims, 2);
            byte[][] four = bins(new JavaKeyEngine(), mode, dims, 4);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(one[i], two[i]);
                assertArrayEquals(one[i], four[i]);
            }
            assertEquals(EvalKeyLayout.of(P, mode, dims).length(), one[2].length);
        }
    }

    @Test
    void defaultRmpListHasTheSpecSize() throws Exception {
        assertEquals(12_845_335L, EvalKeyLayout.of(P, EvalMode.RMP, Dimensions.DEFAULT).length());
        byte[][] mm = bins(new JavaKeyEngine(), EvalMode.MM, List.of(1024), 1);
        assertArrayEquals(new byte[] {0}, mm[2]);
    }

    @Test
    void seededIp1IsDeterministicAndSharesTheIp0Secret() throws Exception {
        Parameters ip1 = Presets.byName("ip1");
        byte[][] b = bins(new JavaKeyEngine(), ip1, EvalMode.RMP, List.of(1024), 2);
        assertEquals(GOLDEN_IP1_ENC, sha256(b[1]));
        assertEquals(GOLDEN_IP1_EVAL_RMP_1024, sha256(b[2]));
        byte[] ip0Sec = bins(new JavaKeyEngine(), EvalMode.MM, List.of(1024), 1)[0];
        assertArrayEquals(Arrays.copyOfRange(ip0Sec, 5, ip0Sec.length),
                Arrays.copyOfRange(b[0], 5, b[0].length), "same seed, same secret (as the reference)");
        assertEquals('1', b[0][3]);
    }

    static final String GOLDEN_SEC = "08baf5dc38ca036c107b4e53f0b8f2b7a4f84550144f6f5257752029ed5c9c6a";
    static final String GOLDEN_ENC = "4ef5c39fe0455bd918048f334b8e9912a05475489359bdbf114aaf385b0828d8";
    static final String GOLDEN_EVAL_RMP_1024 = "d6194858ac60222fe9bce11048ca47bf9cd93496f5d9bb878689fe215622e291";
    static final String GOLDEN_IP1_ENC = "4b9de836c11e2325a23e84914eb8340eaba175147a9a30541a41a7c57666bef5";
    static final String GOLDEN_IP1_EVAL_RMP_1024 = "136f2c32870703f94f171dbd4c7d5c8ba9eb1348601650618504ea7efbda159a";
}
