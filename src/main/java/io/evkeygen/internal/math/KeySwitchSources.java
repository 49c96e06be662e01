package io.evkeygen.internal.math;

/**
 * The source terms {@code P*s'} (NTT form mod Q) of the key-switching keys of spec section 5; shared
 * by generation and verification so both agree on what each key switches from.
 */
public final class KeySwitchSources {
    private KeySwitchSources() {}

    /** P * s^2 for the relinearization key, from s in NTT form mod Q. */
    public static long[] relinearization(RingContext ring, long[] sNttQ) {
        Modulus q = ring.q();
        long pModQ = ring.params().pModQ();
        long pModQShoup = q.shoup(pModQ);
        long[] src = new long[sNttQ.length];
        for (int i = 0; i < src.length; i++) {
            long sq = q.mul(sNttQ[i], sNttQ[i]);
            src[i] = q.mulShoup(sq, pModQ, pModQShoup);
        }
        return src;
    }

    /**
     * P * s'_k for mod-pack key k of rank r: s'_k = sum_m s[r*m + (r-1-k)] X^(r*m), the coefficients
     * of s congruent to r-1-k mod r moved to multiples of r.
     */
    public static long[] modPack(RingContext ring, byte[] secret, int rank, int k) {
        long q = ring.q().value();
        long pModQ = ring.params().pModQ();
        long[] c = new long[secret.length];
        for (int m = 0; m < secret.length; m += rank) {
            long s = secret[m + rank - 1 - k]; // -1, 0 or 1; masks instead of branches
            long nonZero = -(s & 1);
            long neg = s >> 63;
            c[m] = ((pModQ & ~neg) | ((q - pModQ) & neg)) & nonZero;
        }
        ring.nttQ().forward(c);
        return c;
    }
}
