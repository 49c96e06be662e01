package io.evkeygen.internal.math;

/**
 * Negacyclic number-theoretic transform over Z_q[X]/(X^n + 1) in the spec's bit-reversed convention:
 * after {@link #forward}, {@code a[i] = a(psi^(2 * bitrev(i) + 1))}.
 *
 * <p>Cooley-Tukey forward and Gentleman-Sande inverse with bit-reversed powers of psi (the layout SEAL
 * and Lattigo use), Harvey's lazy butterflies keeping values in [0, 4q) between stages and Shoup
 * multiplications by the twiddles. Instances are immutable and thread-safe.
 */
public final class Ntt {
    private final Modulus mod;
    private final int n;
    private final int logN;
    private final long q;
    private final long twoQ;
    private final long[] psiRev;        // psi^bitrev(k)
    private final long[] psiRevShoup;
    private final long[] psiInvRev;     // psi^-bitrev(k)... arranged for the inverse butterflies
    private final long[] psiInvRevShoup;
    private final long nInv;
    private final long nInvShoup;

    /**
     * @param psi a primitive 2n-th root of unity mod q (checked)
     */
    public Ntt(Modulus mod, int n, long psi) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("n must be a power of two");
        }
        this.mod = mod;
        this.n = n;
        this.logN = Integer.numberOfTrailingZeros(n);
        this.q = mod.value();
        this.twoQ = 2 * q;
        if (mod.pow(psi, n) != q - 1) {
            throw new IllegalArgumentException("psi is not a primitive 2n-th root of unity mod " + q);
        }
        long psiInv = mod.inverse(psi);
        psiRev = new long[n];
        psiInvRev = new long[n];
        long pw = 1;
        long pwInv = 1;
        for (int i = 0; i < n; i++) {
            int r = bitReverse(i, logN);
            psiRev[r] = pw;
            psiInvRev[r] = pwInv;
            pw = mod.mul(pw, psi);
            pwInv = mod.mul(pwInv, psiInv);
        }
        psiRevShoup = shoupAll(psiRev);
        psiInvRevShoup = shoupAll(psiInvRev);
        nInv = mod.inverse(n);
        nInvShoup = mod.shoup(nInv);
    }

    private long[] shoupAll(long[] w) {
        long[] s = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = mod.shoup(w[i]);
        }
        return s;
    }

    public static int bitReverse(int x, int bits) {
        return Integer.reverse(x) >>> (32 - bits);
    }

    public Modulus modulus() {
        return mod;
    }

    public int n() {
        return n;
    }

    /** In place: coefficients in [0, q) to evaluations in bit-reversed order, in [0, q). */
    public void forward(long[] a) {
        int t = n;
        for (int m = 1; m < n; m <<= 1) {
            t >>>= 1;
            for (int i = 0; i < m; i++) {
                int j1 = 2 * i * t;
                int j2 = j1 + t;
                long w = psiRev[m + i];
                long ws = psiRevShoup[m + i];
                for (int j = j1; j < j2; j++) {
                    long u = Modulus.subIfGe(a[j], twoQ); // masks: the secret and errors go through here
                    long v = mulLazy(a[j + t], w, ws);
                    a[j] = u + v;
                    a[j + t] = u - v + twoQ;
                }
            }
        }
        for (int j = 0; j < n; j++) {
            a[j] = Modulus.subIfGe(Modulus.subIfGe(a[j], twoQ), q);
        }
    }

    /** In place: evaluations in bit-reversed order back to coefficients, all in [0, q). */
    public void inverse(long[] a) {
        int t = 1;
        for (int m = n; m > 1; m >>>= 1) {
            int h = m >>> 1;
            int j1 = 0;
            for (int i = 0; i < h; i++) {
                int j2 = j1 + t;
                long w = psiInvRev[h + i];
                long ws = psiInvRevShoup[h + i];
                for (int j = j1; j < j2; j++) {
                    long u = a[j];
                    long v = a[j + t];
                    long s = u + v;
                    a[j] = Modulus.subIfGe(s, twoQ);
                    a[j + t] = mulLazy(u - v + twoQ, w, ws);
                }
                j1 += 2 * t;
            }
            t <<= 1;
        }
        for (int j = 0; j < n; j++) {
            a[j] = mod.mulShoup(a[j], nInv, nInvShoup);
        }
    }

    private long mulLazy(long x, long w, long ws) {
        long qhat = Modulus.mulHighUnsignedB(x, ws);
        return x * w - qhat * q;
    }
}
