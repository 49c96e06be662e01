package io.evkeygen.internal.random;

import io.evkeygen.internal.math.Modulus;

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
     * whole so the time does not depend on the value.
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
     */
    public static byte[] ternary(PrngStream stream, int n, int weight) {
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
        java.util.Arrays.fill(positions, 0);
        return s;
    }
}
