package io.evkeygen.internal.engine;

import io.evkeygen.internal.math.Modulus;
import io.evkeygen.internal.math.Ntt;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.internal.random.Prng;
import io.evkeygen.internal.random.PrngStream;
import io.evkeygen.internal.random.Samplers;
import io.evkeygen.internal.random.StreamLabels.Component;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Builds the four polynomials of an RLWE sample {@code b = -a*s + e + src} (mod Q and mod P), each
 * from its own stream, so any one of them can be (re)computed alone: a, error and the secret in NTT
 * form suffice. Thread-safe: only reads shared state.
 */
final class RlweSampler {
    private final RingContext ring;
    private final Prng prng;
    private final long[] sQ;
    private final long[] sQShoup;
    private final long[] sP;
    private final long[] sPShoup;

    RlweSampler(RingContext ring, Prng prng, byte[] secret) {
        this.ring = ring;
        this.prng = prng;
        this.sQ = RingContext.ternaryToNtt(ring.nttQ(), secret);
        this.sP = RingContext.ternaryToNtt(ring.nttP(), secret);
        this.sQShoup = shoupAll(ring.q(), sQ);
        this.sPShoup = shoupAll(ring.p(), sP);
    }

    private static long[] shoupAll(Modulus m, long[] w) {
        long[] s = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = m.shoup(w[i]);
        }
        return s;
    }

    long[] secretNttQ() {
        return sQ;
    }

    /** The uniform {@code a} of a sample, mod Q ({@link Component#A_Q}) or mod P ({@link Component#A_P}). */
    long[] a(Function<Component, String> labels, Component which) {
        Modulus m = which == Component.A_Q ? ring.q() : ring.p();
        long[] a = new long[ring.n()];
        PrngStream st = prng.stream(labels.apply(which));
        Samplers.uniform(st, m, a);
        return a;
    }

    private int[] error(Function<Component, String> labels) {
        int[] e = new int[ring.n()];
        PrngStream st = prng.stream(labels.apply(Component.ERROR));
        Samplers.error(st, e);
        st.wipe();
        return e;
    }

    /**
     * {@code b} mod Q (when {@code modQ}) or mod P. {@code sourceQ} is the NTT form mod Q of
     * P*s' for a key-switching key, or null for the public key; the P part never has a source term
     * since P*s' = 0 mod P.
     */
    long[] b(Function<Component, String> labels, boolean modQ, long[] sourceQ) {
        Modulus m = modQ ? ring.q() : ring.p();
        Ntt ntt = modQ ? ring.nttQ() : ring.nttP();
        long[] s = modQ ? sQ : sP;
        long[] sShoup = modQ ? sQShoup : sPShoup;
        long[] a = a(labels, modQ ? Component.A_Q : Component.A_P);
        int[] e = error(labels);
        long[] b = RingContext.smallToNtt(ntt, e);
        Arrays.fill(e, 0);
        long q = m.value();
        for (int i = 0; i < b.length; i++) {
            long as = m.mulShoup(a[i], s[i], sShoup[i]);
            long v = b[i] - as;
            v += q & (v >> 63); // masks, not branches: s and e are secret
            if (sourceQ != null) { // public: which key this is
                v = Modulus.subIfGe(v + sourceQ[i], q);
            }
            b[i] = v;
        }
        return b;
    }

    /** Zeroes the secret's NTT forms. */
    void wipe() {
        Arrays.fill(sQ, 0);
        Arrays.fill(sP, 0);
        Arrays.fill(sQShoup, 0);
        Arrays.fill(sPShoup, 0);
    }
}
