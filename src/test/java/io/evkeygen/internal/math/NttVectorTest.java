package io.evkeygen.internal.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.params.Parameters;
import io.evkeygen.testutil.SharedVectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Known-answer checks of the NTT against the reference keys: the decoded reference secret,
 * transformed in our convention, must turn the reference public key into a small error.
 */
class NttVectorTest {
    private static final Parameters P = Parameters.IP0;

    static long[] poly(byte[] bin, int offset, int n) {
        long[] a = new long[n];
        ByteBuffer.wrap(bin, offset, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(a);
        return a;
    }

    static int maxAbsError(Ntt ntt, long[] a, long[] b, long[] sNtt) {
        Modulus m = ntt.modulus();
        long[] e = new long[a.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = m.add(b[i], m.mul(a[i], sNtt[i]));   // e = b + a*s
        }
        ntt.inverse(e);
        int max = 0;
        for (long v : e) {
            max = (int) Math.max(max, Math.abs(m.centered(v)));
        }
        return max;
    }

    @Test
    void referencePublicKeyGivesSmallErrorModQAndModP() throws Exception {
        byte[] sec = SharedVectors.keyData("ip0-rmp-1024", "SecKey.json");
        byte[] enc = SharedVectors.keyData("ip0-rmp-1024", "EncKey.json");
        byte[] s = SecKeyBin.decode(P, sec);
        RingContext ring = RingContext.of(P);
        int n = P.n();
        long[] sQ = RingContext.ternaryToNtt(ring.nttQ(), s);
        long[] sP = RingContext.ternaryToNtt(ring.nttP(), s);
        int eQ = maxAbsError(ring.nttQ(), poly(enc, 5, n), poly(enc, 5 + 16 * n, n), sQ);
        int eP = maxAbsError(ring.nttP(), poly(enc, 5 + 8 * n, n), poly(enc, 5 + 24 * n, n), sP);
        assertTrue(eQ > 0 && eQ <= 32, "max |e| mod Q = " + eQ);
        assertTrue(eP > 0 && eP <= 32, "max |e| mod P = " + eP);
        assertEquals(11, eQ, "spec: max |e| observed 11 for EncKey");
    }

    @Test
    void forwardThenInverseIsIdentity() {
        RingContext ring = RingContext.of(P);
        Random rnd = new Random(1);
        for (Ntt ntt : new Ntt[] {ring.nttQ(), ring.nttP()}) {
            long[] a = rnd.longs(P.n(), 0, ntt.modulus().value()).toArray();
            long[] b = a.clone();
            ntt.forward(b);
            ntt.inverse(b);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void forwardMatchesDirectEvaluationInBitReversedOrder() {
        RingContext ring = RingContext.of(P);
        Random rnd = new Random(2);
        Ntt ntt = ring.nttQ();
        Modulus m = ntt.modulus();
        long[] a = rnd.longs(P.n(), 0, m.value()).toArray();
        long[] f = a.clone();
        ntt.forward(f);
        for (int i : new int[] {0, 1, 2, 1000, 4095}) {
            long x = m.pow(P.psiQ(), 2L * Ntt.bitReverse(i, 12) + 1);
            long acc = 0;
            for (int j = P.n() - 1; j >= 0; j--) {   // Horner
                acc = m.add(m.mul(acc, x), a[j]);
            }
            assertEquals(acc, f[i], "slot " + i);
        }
    }

    @Test
    void productsInNttFormAreNegacyclic() {
        RingContext ring = RingContext.of(P);
        Ntt ntt = ring.nttP();
        Modulus m = ntt.modulus();
        long[] x = new long[P.n()];
        long[] y = new long[P.n()];
        x[P.n() - 1] = 1;      // X^(n-1)
        y[1] = 3;              // 3X  -> product 3X^n = -3
        ntt.forward(x);
        ntt.forward(y);
        for (int i = 0; i < x.length; i++) {
            x[i] = m.mul(x[i], y[i]);
        }
        ntt.inverse(x);
        assertEquals(m.value() - 3, x[0]);
        for (int i = 1; i < x.length; i++) {
            assertEquals(0, x[i]);
        }
    }
}
