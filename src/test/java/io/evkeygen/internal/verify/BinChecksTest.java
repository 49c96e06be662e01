package io.evkeygen.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.JavaKeyEngine;
import io.evkeygen.internal.layout.BinData;
import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.testutil.KeyBins;
import io.evkeygen.testutil.SharedVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key equations on the reference vectors and on our own keys, and their failure on damage. */
class BinChecksTest {
    private static final Parameters P = Parameters.IP0;

    private static BinChecks.Result checkVector(String set, EvalMode mode) throws Exception {
        byte[] s = SecKeyBin.decode(P, SharedVectors.keyData(set, "SecKey.json"));
        byte[] enc = SharedVectors.keyData(set, "EncKey.json");
        byte[] eval = mode == EvalMode.MM ? new byte[] {0} : SharedVectors.keyData(set, "EvalKey.json");
        return BinChecks.check(P, s, BinData.of(enc), BinData.of(eval), mode);
    }

    @Test
    void referenceRmpSetSatisfiesEveryEquation() throws Exception {
        BinChecks.Result r = checkVector("ip0-rmp-1024", EvalMode.RMP);
        assertEquals(List.of(1024), r.dims());
        assertEquals(1 + 1 + 32, r.keysChecked());
        assertTrue(r.maxError() >= 11 && r.maxError() <= 16, "max |e| " + r.maxError());
    }

    @Test
    void referenceFlatAndMmSetsVerify() throws Exception {
        assertEquals(34, checkVector("ip0-flat-32", EvalMode.FLAT).keysChecked());
        assertEquals(1, checkVector("ip0-mm-1024", EvalMode.MM).keysChecked());
    }

    @Test
    void referenceKeysFailUnderTheWrongSecret() throws Exception {
        byte[] s = SecKeyBin.decode(P, SharedVectors.keyData("ip0-rmp-1024", "SecKey.json"));
        byte t = s[0];
        s[0] = s[1];
        s[1] = t;
        s[7] = (byte) -s[7];
        byte[] enc = SharedVectors.keyData("ip0-rmp-1024", "EncKey.json");
        KeygenException e = assertThrows(KeygenException.class,
                () -> BinChecks.check(P, s, BinData.of(enc), BinData.of(new byte[] {0}), EvalMode.MM));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
    }

    static byte[][] generate(int seedByte, EvalMode mode, List<Integer> dims, int threads) throws Exception {
        KeyBins k = KeyBins.generate(new JavaKeyEngine(), P, KeyBins.seedOf(seedByte), mode, dims, threads);
        return new byte[][] {k.secKey(), k.encKey(), k.evalKey()};
    }

    @Test
    void generatedKeysSatisfyEveryEquationWithinTheSamplerBound() throws Exception {
        byte[][] k = generate(7, EvalMode.RMP, List.of(32, 4096), 2);
        BinChecks.Result r = BinChecks.check(P, SecKeyBin.decode(P, k[0]), BinData.of(k[1]), BinData.of(k[2]), EvalMode.RMP);
        assertEquals(1 + 2 * 1 + 32 + 64, r.keysChecked());
        assertTrue(r.maxError() <= io.evkeygen.internal.random.Samplers.ERROR_BOUND, "max |e| " + r.maxError());
        assertTrue(r.maxError() >= 9, "errors implausibly small: " + r.maxError());
    }

    @Test
    void everyFlippedByteInAGeneratedKeyIsCaught() throws Exception {
        byte[][] k = generate(9, EvalMode.FLAT, List.of(32), 1);
        byte[] s = SecKeyBin.decode(P, k[0]);
        // a spread of positions over the headers, a, b, mod-pack keys and the metadata record
        int len = k[2].length;
        int[] positions = {0, 5, 20, 30, 31, 40, 32_800, 70_000, 140_000, len / 2, len - 200, len - 93, len - 10, len - 1};
        for (int pos : positions) {
            byte[] eval = k[2].clone();
            eval[pos] ^= 0x10;
            assertThrows(KeygenException.class,
                    () -> BinChecks.check(P, s, BinData.of(k[1]), BinData.of(eval), EvalMode.FLAT), "byte " + pos);
        }
        for (int pos : new int[] {0, 3, 5, 100, 65_541, 131_076}) {
            byte[] enc = k[1].clone();
            enc[pos] ^= 0x01;
            assertThrows(KeygenException.class,
                    () -> BinChecks.check(P, s, BinData.of(enc), BinData.of(k[2]), EvalMode.FLAT), "enc byte " + pos);
        }
    }
}
