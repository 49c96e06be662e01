package io.evkeygen.internal.random;

import io.evkeygen.internal.math.Modulus;
import java.util.Arrays;

/**
 * The three samplers of a key set, each consuming one {@link PrngStream} in a fixed order so an
 * independent implementation reproduces them (docs/ALGORITHMS.md, "Samplers").
 */
public final class Samplers {

    /**
     * Cumulative table of the discrete Gaussian with sigma 3.2 truncated to |x| <= 19, for the
     * magnitude: {@code ERROR_CDT[k] = round(2^63 * Pr[|x| <= k])}, computed once with 60-digit
     * decimal arithmetic and fixed here so every backend samples the same values.
     */
    static final long[] ERROR_CDT = {
        1149872836518706973L, 3340023669317320718L, 5231742859181312982L, 6713673040852152709L,
        7766573333558595573L, 8445050410543775183L, 8841576294031517593L, 9051758687454227208L,
        9152802460441190481L, 9196859083481262423L, 9214281214904026345L, 9220529772758650828L,
        9222562348483741347L, 9223162004373033246L, 9223322456656299390L, 9223361395058736926L,
        9223369965413244325L, 9223371676247247625L, 9223371985993021523L,
    };

    /** The largest |e| the error sampler can return. */
    public static final int ERROR_BOUND = ERROR_CDT.length;

    private Samplers() {}

    /**
     * Uniform residues mod q by rejection: each 64-bit word is masked to the bit length of q and
     * accepted when below q. Fills {@code out} (length n).
     */
    public static void uniform(PrngStream stream, Modulus q, long[] out) {
        long mask = (1L << q.bits()) - 1;
        long qv = q.value();
        int i = 0;
        while (i < out.length) {
            long v = stream.nextLong() & mask;
            if (v < qv) {
                out[i++] = v;
            }
        }
    }

    /**
     * Discrete Gaussian errors (sigma 3.2, |e| <= 19), one word per coefficient: bit 63 is the sign,
     * the low 63 bits pick the magnitude k = #{j : low63 >= ERROR_CDT[j]}. The table is scanned
     * whole and the sign applied by arithmetic, so neither time nor addresses depend on the value.
     */
    public static void error(PrngStream stream, int[] out) {
        for (int i = 0; i < out.length; i++) {
            long w = stream.nextLong();
            long m = w & Long.MAX_VALUE;
            int k = 0;
            for (long t : ERROR_CDT) {
                k += (int) ((t - m - 1) >>> 63); // 1 when m >= t (both in [0, 2^63))
            }
            int sign = (int) (w >>> 63);
            out[i] = (k ^ -sign) + sign;       // sign ? -k : k
        }
    }

    /**
     * Ternary secret with exactly {@code weight} non-zero coefficients, uniform over positions and
     * signs: a partial Fisher-Yates shuffle of positions 0..n-1. Step i draws words until the low 32
     * bits fall below the largest multiple of (n - i) not above 2^32, swaps position i with
     * position i + (low32 mod (n - i)), and takes the sign from bit 63 of the accepted word
     * (1 means -1).
     *
     * <p>Constant time (docs/ALGORITHMS.md, "Constant time"): no branch or array index depends on
     * the secret. Each swap is a masked scan over positions i..n-1, {@code low32 mod (n - i)} is a
     * multiplication by a public reciprocal with a masked correction ({@link #modPublic}), the sign
     * of step i is kept at index i and the signs are placed at their positions at the end by a
     * sorting network over (position, code) pairs. Only the accept/reject bit of a draw steers a
     * branch: a rejected word is discarded, and an accepted one is uniform whatever that bit says.
     * Same output as the plain algorithm (SamplersTest keeps it as the reference).
     */
    public static byte[] ternary(PrngStream stream, int n, int weight) {
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
        }
        int[] rec = new int[n];
        int[] index = new int[n]; // index[k] = k: lets the JIT vectorize the scan (no induction term)
        for (int k = 0; k < n; k++) {
            index[k] = k;
        }
        for (int i = 0; i < weight; i++) {
            long bound = n - i;
            long limit = (1L << 32) - ((1L << 32) % bound); // public
            long recip = Long.divideUnsigned(-1L, bound);   // public
            long w;
            long low;
            do {
                w = stream.nextLong();
                low = w & 0xFFFFFFFFL;
            } while (low >= limit); // the declassified rejection bit
            int j = i + (int) modPublic(low, bound, recip);
            positions[i] = swapScan(positions, index, i, n, j, positions[i]);
            rec[i] = 1 | (int) ((w >>> 63) << 1); // SecKey code: 01 = +1, 11 = -1
        }
        for (int k = 0; k < n; k++) {
            rec[k] = (positions[k] << 2) | (k < weight ? rec[k] : 0);
        }
        bitonicSort(rec);
        byte[] s = new byte[n];
        for (int k = 0; k < n; k++) {
            int code = rec[k] & 3; // rec[k] >>> 2 == k: positions is a permutation of 0..n-1
            s[k] = (byte) ((code & 1) - (code & 2));
        }
        Arrays.fill(positions, 0);
        Arrays.fill(rec, 0);
        return s;
    }

    /**
     * {@code x mod d} for x in [0, 2^32) and a public d in [1, 2^32], with {@code recip =
     * floor((2^64 - 1) / d)} (unsigned): the quotient estimate is exact or one short, so the
     * remainder estimate lies in [0, 2d) and one masked subtraction finishes. Equal to {@code x % d}.
     */
    static long modPublic(long x, long d, long recip) {
        long qt = Math.multiplyHigh(x, recip) + ((recip >> 63) & x); // unsigned high word, x >= 0
        long r = x - qt * d - d;
        return r + (d & (r >> 63));
    }

    /**
     * One oblivious swap over a[from..n): reads a[j], writes pi there; every entry is read and
     * written the same way whatever j is. Returns the old a[j].
     */
    private static int swapScan(int[] a, int[] index, int from, int n, int j, int pi) {
        int got = 0;
        for (int k = from; k < n; k++) {
            int v = a[k];
            int m = ((index[k] ^ j) - 1) >> 31; // -1 when k == j (k ^ j >= 0)
            got |= v & m;
        }
        for (int k = from; k < n; k++) {
            int v = a[k];
            int m = ((index[k] ^ j) - 1) >> 31;
            a[k] = v ^ ((v ^ pi) & m);
        }
        return got;
    }

    /** Ascending bitonic sorting network (length a power of two; values below 2^30). */
    private static void bitonicSort(int[] a) {
        int n = a.length;
        for (int k = 2; k <= n; k <<= 1) {
            for (int b = 0; b < n; b += k) {
                for (int t = 0; t < k / 2; t++) {
                    int u = a[b + t];
                    int v = a[b + k - 1 - t];
                    int lt = (u - v) >> 31; // -1 when u < v
                    a[b + t] = v ^ ((u ^ v) & lt);
                    a[b + k - 1 - t] = u ^ ((u ^ v) & lt);
                }
            }
            for (int j = k / 4; j > 0; j >>= 1) {
                for (int b = 0; b < n; b += 2 * j) {
                    for (int t = b; t < b + j; t++) {
                        int u = a[t];
                        int v = a[t + j];
                        int lt = (u - v) >> 31;
                        a[t] = v ^ ((u ^ v) & lt);
                        a[t + j] = u ^ ((u ^ v) & lt);
                    }
                }
            }
        }
    }
}
