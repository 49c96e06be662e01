package io.evkeygen.internal.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.engine.JavaKeyEngine;
import io.evkeygen.internal.layout.BinData;
import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.internal.math.Modulus;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.testutil.KeyBins;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures the noise one relinearization adds with each preset's key (docs/PRESETS.md): key-switch a
 * uniform d mod Q with the relinearization key (multiply in the QP basis, divide by P with rounding)
 * and compare c0 + c1*s with d*s^2. The error is about d*e/P, so it scales with Q/P: IP0
 * (Q/P = 2^-4) adds a few bits, IP1 (Q/P = 2^40) adds about 2^46.
 */
class KeySwitchNoiseTest {

    /** log2 of the largest |error| coefficient of one relinearization of a uniform d. */
    static double relinearizationNoiseBits(Parameters params, long dSeed) throws Exception {
        RingContext ring = RingContext.of(params);
        Modulus q = ring.q();
        Modulus p = ring.p();
        int n = params.n();
        KeyBins keys = KeyBins.generate(new JavaKeyEngine(), params, KeyBins.seedOf(0), EvalMode.RMP, List.of(32), 1);
        byte[] s = SecKeyBin.decode(params, keys.secKey());
        BinData bin = BinData.of(keys.evalKey());
        long base = 1 + 8 + "EVIKeys32.bin".length() + 8 + 1;  // record header, tag byte
        long pb = 8L * n;
        long[] aQ = bin.readPoly(base, n);
        long[] aP = bin.readPoly(base + pb, n);
        long[] bQ = bin.readPoly(base + 2 * pb, n);
        long[] bP = bin.readPoly(base + 3 * pb, n);

        Random rnd = new Random(dSeed);
        long[] d = rnd.longs(n, 0, q.value()).toArray();       // coefficients mod Q
        long[] dQ = d.clone();
        ring.nttQ().forward(dQ);
        long[] dP = new long[n];
        for (int i = 0; i < n; i++) {
            dP[i] = p.fromSigned(q.centered(d[i]) % p.value());
        }
        ring.nttP().forward(dP);

        long[] c0 = modDown(ring, product(q, dQ, bQ), product(p, dP, bP));
        long[] c1 = modDown(ring, product(q, dQ, aQ), product(p, dP, aP));

        long[] sQ = RingContext.ternaryToNtt(ring.nttQ(), s);
        ring.nttQ().forward(c0);
        ring.nttQ().forward(c1);
        long[] err = new long[n];
        for (int i = 0; i < n; i++) {
            long ds2 = q.mul(dQ[i], q.mul(sQ[i], sQ[i]));
            err[i] = q.sub(q.add(c0[i], q.mul(c1[i], sQ[i])), ds2);
        }
        ring.nttQ().inverse(err);
        long max = 0;
        for (long v : err) {
            max = Math.max(max, Math.abs(q.centered(v)));
        }
        return Math.log(Math.max(max, 1)) / Math.log(2);
    }

    private static long[] product(Modulus m, long[] x, long[] y) {
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.mul(x[i], y[i]);
        }
        return r;
    }

    /** (u - [u]_P) / P mod Q, from u's NTT forms mod Q and mod P ([u]_P centred). */
    private static long[] modDown(RingContext ring, long[] uQ, long[] uP) {
        Modulus q = ring.q();
        Modulus p = ring.p();
        ring.nttQ().inverse(uQ);
        ring.nttP().inverse(uP);
        long pInv = q.inverse(q.fromSigned(p.value() % q.value()));
        long[] c = new long[uQ.length];
        for (int i = 0; i < c.length; i++) {
            long low = q.fromSigned(p.centered(uP[i]) % q.value());
            c[i] = q.mul(q.sub(uQ[i], low), pInv);
        }
        return c;
    }

    @Test
    void relinearizationNoiseScalesWithQOverP() throws Exception {
        double ip0 = relinearizationNoiseBits(Presets.byName("ip0"), 1);
        double ip1 = relinearizationNoiseBits(Presets.byName("ip1"), 1);
        System.out.printf(Locale.ROOT, "relinearization noise: IP0 2^%.1f, IP1 2^%.1f%n", ip0, ip1);
        assertTrue(ip0 < 12, "IP0 relinearization noise 2^" + ip0);
        assertTrue(ip1 > 40 && ip1 < 52, "IP1 relinearization noise 2^" + ip1);
    }
}
