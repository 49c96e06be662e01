package io.evkeygen.internal.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.math.Modulus;
import io.evkeygen.secret.Seed;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks of the three samplers, with thresholds far enough out (about 5-6 standard
 * errors) that a correct sampler fails with negligible probability, yet a biased one does not pass.
 */
class SamplersTest {
    private static Prng prng(int tag) {
        byte[] seed = new byte[64];
        seed[0] = (byte) tag;
        return new Prng(Seed.of(seed));
    }

    @Test
    void errorHasSigma32AndRespectsItsBound() {
        try (Prng p = prng(1)) {
            int samples = 0;
            double sum = 0;
            double sumSq = 0;
            long[] hist = new long[2 * Samplers.ERROR_BOUND + 1];
            int[] e = new int[4096];
            for (int round = 0; round < 100; round++) {
                Samplers.error(p.stream("err" + round), e);
                for (int v : e) {
                    assertTrue(Math.abs(v) <= Samplers.ERROR_BOUND, "out of bound: " + v);
                    sum += v;
                    sumSq += (double) v * v;
                    hist[v + Samplers.ERROR_BOUND]++;
                    samples++;
                }
            }
            double mean = sum / samples;
            double sigma = Math.sqrt(sumSq / samples - mean * mean);
            assertEquals(0, mean, 6 * 3.2 / Math.sqrt(samples), "mean");
            assertEquals(3.2, sigma, 0.03, "sigma");
            // chi-square against the truncated Gaussian over |v| <= 8 (larger |v| pooled)
            double norm = 0;
            for (int v = -19; v <= 19; v++) {
                norm += Math.exp(-v * v / (2 * 3.2 * 3.2));
            }
            double chi = 0;
            double tailObs = 0;
            double tailExp = 0;
            for (int v = -19; v <= 19; v++) {
                double expected = samples * Math.exp(-v * v / (2 * 3.2 * 3.2)) / norm;
                double observed = hist[v + Samplers.ERROR_BOUND];
                if (Math.abs(v) <= 8) {
                    chi += (observed - expected) * (observed - expected) / expected;
                } else {
                    tailObs += observed;
                    tailExp += expected;
                }
            }
            chi += (tailObs - tailExp) * (tailObs - tailExp) / tailExp;
            assertTrue(chi < 60, "chi-square with 17 degrees of freedom: " + chi); // p < 1e-6
        }
    }

    @Test
    void uniformCoversTheModulusEvenly() {
        for (long qv : new long[] {2251799813554177L, 36028797014376449L, 1032193L}) {
            Modulus q = new Modulus(qv);
            long[] counts = new long[16];
            long[] a = new long[4096];
            int samples = 0;
            try (Prng p = prng(2)) {
                for (int round = 0; round < 40; round++) {
                    Samplers.uniform(p.stream("u" + round), q, a);
                    for (long v : a) {
                        assertTrue(v >= 0 && v < qv);
                        counts[(int) Math.floorDiv(v, (qv + 15) / 16)]++;
                        samples++;
                    }
                }
            }
            double expected = samples / 16.0;
            double chi = 0;
            for (long c : counts) {
                chi += (c - expected) * (c - expected) / expected;
            }
            assertTrue(chi < 50, "chi-square over 16 bins for q=" + qv + ": " + chi);
        }
    }

    @Test
    void ternaryHasExactWeightAndUniformPositionsAndSigns() {
        int n = 4096;
        int h = 2730;
        int rounds = 200;
        long[] nonZeroAt = new long[n];
        long plus = 0;
        try (Prng p = prng(3)) {
            for (int round = 0; round < rounds; round++) {
                byte[] s = Samplers.ternary(p.stream("t" + round), n, h);
                int weight = 0;
                for (int i = 0; i < n; i++) {
                    if (s[i] != 0) {
                        weight++;
                        nonZeroAt[i]++;
                        plus += s[i] > 0 ? 1 : 0;
                    }
                }
                assertEquals(h, weight);
            }
        }
        long total = (long) rounds * h;
        assertEquals(0.5, (double) plus / total, 6 * 0.5 / Math.sqrt(total), "share of +1");
        // positions: each is non-zero with probability h/n; compare the first and second halves and
        // the even and odd positions (catches biased index reduction)
        long firstHalf = 0;
        long even = 0;
        for (int i = 0; i < n; i++) {
            if (i < n / 2) {
                firstHalf += nonZeroAt[i];
            }
            if (i % 2 == 0) {
                even += nonZeroAt[i];
            }
        }
        double sd = Math.sqrt(total * 0.25);
        assertEquals(total / 2.0, firstHalf, 6 * sd, "first half");
        assertEquals(total / 2.0, even, 6 * sd, "even positions");
        double pHit = (double) h / n;
        for (int i = 0; i < n; i++) {
            double mean = rounds * pHit;
            double sdi = Math.sqrt(rounds * pHit * (1 - pHit));
            assertTrue(Math.abs(nonZeroAt[i] - mean) < 6 * sdi, "position " + i + ": " + nonZeroAt[i]);
        }
    }

    /**
     * The partial Fisher-Yates sampler as it was before the constant-time version (its branches
     * and array indexes depend on the secret): the output definition the constant-time
     * {@link Samplers#ternary} must reproduce exactly.
     */
    static byte[] ternaryReference(PrngStream stream, int n, int weight) {
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
        }
        byte[] s = new byte[n];
        for (int i = 0; i < weight; i++) {
            long bound = n - i;
            long limit = (1L << 32) - ((1L << 32) % bound);
            long w;
            long low;
            do {
                w = stream.nextLong();
                low = w & 0xFFFFFFFFL;
            } while (low >= limit);
            int j = i + (int) (low % bound);
            int tmp = positions[i];
            positions[i] = positions[j];
            positions[j] = tmp;
            s[positions[i]] = (byte) ((w >>> 63) != 0 ? -1 : 1);
        }
        return s;
    }

    @Test
    void constantTimeTernaryEqualsTheReferenceAcrossSeeds() {
        int[][] shapes = {{4096, 2730}, {4096, 64}, {32, 32}, {32, 1}, {1024, 1023}, {65536, 17}};
        for (int[] shape : shapes) {
            int seeds = shape[0] == 65536 ? 1 : 60;
            for (int sd = 0; sd < seeds; sd++) {
                try (Prng p = prng(100 + sd)) {
                    String label = "secret/" + shape[0] + "/" + shape[1];
                    PrngStream a = p.stream(label);
                    PrngStream b = p.stream(label);
                    byte[] got = Samplers.ternary(a, shape[0], shape[1]);
                    byte[] want = ternaryReference(b, shape[0], shape[1]);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(want, got,
                            "n=" + shape[0] + " h=" + shape[1] + " seed " + sd);
                    assertEquals(b.nextLong(), a.nextLong(), "same number of words consumed");
                }
            }
        }
    }

    @Test
    void modPublicEqualsRemainder() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        long top = 0xFFFFFFFFL;
        for (long d = 1; d <= 65536; d++) {
            long recip = Long.divideUnsigned(-1L, d);
            long[] edges = {0, 1, d - 1, d, d + 1, 2 * d - 1, 2 * d, top, top - 1, top - top % d, top - top % d - 1};
            for (long x : edges) {
                if (x >= 0 && x <= top) {
                    assertEquals(x % d, Samplers.modPublic(x, d, recip), "x=" + x + " d=" + d);
                }
            }
            for (int r = 0; r < 16; r++) {
                long x = rnd.nextLong() & top;
                assertEquals(x % d, Samplers.modPublic(x, d, recip), "x=" + x + " d=" + d);
            }
        }
        for (int r = 0; r < 1_000_000; r++) {
            long d = (rnd.nextLong() & top) + 1;
            long x = rnd.nextLong() & top;
            assertEquals(x % d, Samplers.modPublic(x, d, Long.divideUnsigned(-1L, d)), "x=" + x + " d=" + d);
        }
    }
}
