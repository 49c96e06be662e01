package io.evkeygen.internal.math;

import java.math.BigInteger;

/** Roots of unity for the negacyclic NTT. */
public final class Roots {
    private Roots() {}

    /**
     * The smallest primitive 2n-th root of unity modulo a prime q = 1 mod 2n (the rule the reference
     * follows for every preset). The primitive 2n-th roots are exactly g^k for odd k, given any one g,
     * so all n of them are enumerated and the least is returned.
     */
    public static long smallestPrimitive2nthRoot(long q, int n) {
        if (!BigInteger.valueOf(q).isProbablePrime(64)) {
            throw new IllegalArgumentException(q + " is not prime");
        }
        long twoN = 2L * n;
        if ((q - 1) % twoN != 0) {
            throw new IllegalArgumentException(q + " is not 1 mod " + twoN);
        }
        Modulus m = new Modulus(q);
        long exponent = (q - 1) / twoN;
        long g = 0;
        for (long x = 2; g == 0; x++) {
            long candidate = m.pow(x, exponent);
            if (m.pow(candidate, n) == q - 1) {   // order exactly 2n (2n is a power of two)
                g = candidate;
            }
        }
        long gSquared = m.mul(g, g);
        long best = g;
        long current = g;
        for (int k = 1; k < n; k++) {             // g^(2k+1)
            current = m.mul(current, gSquared);
            if (Long.compareUnsigned(current, best) < 0) {
                best = current;
            }
        }
        return best;
    }
}
