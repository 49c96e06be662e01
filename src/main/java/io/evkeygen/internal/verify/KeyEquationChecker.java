package io.evkeygen.internal.verify;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.math.Modulus;
import io.evkeygen.internal.math.Ntt;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.params.Parameters;
import java.util.Arrays;

/**
 * Checks {@code b = -a*s + e + P*s'} mod Q and {@code b = -a*s + e} mod P with the secret: recovers
 * e both ways, requires the same integer vector modulo both primes (spec section 1) and
 * |e| &lt;= {@link Parameters#VERIFY_ERROR_BOUND}.
 */
final class KeyEquationChecker implements AutoCloseable {
    private final RingContext ring;
    private final long[] sQ;
    private final long[] sP;
    private final byte[] secret;

    KeyEquationChecker(RingContext ring, byte[] secret) {
        this.ring = ring;
        this.secret = secret;
        this.sQ = RingContext.ternaryToNtt(ring.nttQ(), secret);
        this.sP = RingContext.ternaryToNtt(ring.nttP(), secret);
    }

    /** The ternary secret (not a copy; owned by the caller). */
    byte[] secret() {
        return secret;
    }

    long[] secretNttQ() {
        return sQ;
    }

    /** Returns max |e|; throws INVALID_KEY naming {@code what} when the equation fails. */
    int check(String what, long[] aQ, long[] aP, long[] bQ, long[] bP, long[] sourceQ) {
        requireReduced(what, ring.q(), aQ, bQ);
        requireReduced(what, ring.p(), aP, bP);
        long[] eQ = error(ring.nttQ(), aQ, bQ, sQ, sourceQ);
        long[] eP = error(ring.nttP(), aP, bP, sP, null);
        int max = 0;
        for (int i = 0; i < eQ.length; i++) {
            if (eQ[i] != eP[i]) {
                throw KeygenException.invalidKey(what + ": error differs modulo Q and P (not a valid key)");
            }
            max = (int) Math.max(max, Math.abs(eQ[i]));
        }
        if (max > Parameters.VERIFY_ERROR_BOUND) {
            throw KeygenException.invalidKey(what + ": key equation error " + (max > 1_000_000 ? "huge" : max)
                    + " exceeds the bound " + Parameters.VERIFY_ERROR_BOUND + " (wrong secret or corrupted key)");
        }
        return max;
    }

    /** Centred coefficients of b + a*s - source. */
    private static long[] error(Ntt ntt, long[] a, long[] b, long[] s, long[] source) {
        Modulus m = ntt.modulus();
        long[] e = new long[a.length];
        for (int i = 0; i < e.length; i++) {
            long v = m.add(b[i], m.mul(a[i], s[i]));
            e[i] = source == null ? v : m.sub(v, source[i]);
        }
        ntt.inverse(e);
        for (int i = 0; i < e.length; i++) {
            e[i] = m.centered(e[i]);
        }
        return e;
    }

    private static void requireReduced(String what, Modulus m, long[]... polys) {
        for (long[] p : polys) {
            for (long v : p) {
                if (v < 0 || v >= m.value()) {
                    throw KeygenException.invalidKey(what + ": coefficient not reduced modulo " + m.value());
                }
            }
        }
    }

    @Override
    public void close() {
        Arrays.fill(sQ, 0);
        Arrays.fill(sP, 0);
    }
}
