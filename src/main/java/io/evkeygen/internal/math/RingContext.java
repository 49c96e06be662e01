package io.evkeygen.internal.math;

import io.evkeygen.params.Parameters;
import java.util.concurrent.ConcurrentHashMap;

/** The moduli and NTT tables of a parameter set, built once and shared (immutable). */
public final class RingContext {
    private static final ConcurrentHashMap<Parameters, RingContext> CACHE = new ConcurrentHashMap<>();

    private final Parameters params;
    private final Modulus q;
    private final Modulus p;
    private final Ntt nttQ;
    private final Ntt nttP;

    private RingContext(Parameters params) {
        this.params = params;
        this.q = new Modulus(params.q());
        this.p = new Modulus(params.p());
        this.nttQ = new Ntt(q, params.n(), params.psiQ());
        this.nttP = new Ntt(p, params.n(), params.psiP());
    }

    public static RingContext of(Parameters params) {
        return CACHE.computeIfAbsent(params, RingContext::new);
    }

    public Parameters params() { return params; }

    public int n() { return params.n(); }

    public Modulus q() { return q; }

    public Modulus p() { return p; }

    public Ntt nttQ() { return nttQ; }

    public Ntt nttP() { return nttP; }

    /** Small signed integers (secret or error) as residues mod m, then NTT: a fresh array. */
    public static long[] smallToNtt(Ntt ntt, int[] small) {
        Modulus m = ntt.modulus();
        long[] a = new long[small.length];
        long mv = m.value();
        for (int i = 0; i < a.length; i++) {
            long v = small[i];
            a[i] = v + (mv & (v >> 63)); // v < 0: mv + v, without a branch
        }
        ntt.forward(a);
        return a;
    }

    /** Same for a ternary secret held as bytes. */
    public static long[] ternaryToNtt(Ntt ntt, byte[] s) {
        long mv = ntt.modulus().value();
        long[] a = new long[s.length];
        for (int i = 0; i < a.length; i++) {
            long v = s[i];
            a[i] = v + (mv & (v >> 63)); // -1: mv - 1
        }
        ntt.forward(a);
        return a;
    }
}
