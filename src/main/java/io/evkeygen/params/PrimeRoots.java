package io.evkeygen.params;

import java.math.BigInteger;

/**
 * Roots of unity for the negacyclic NTT, computed here (plain BigInteger arithmetic, once per
 * parameter set; the presets' primes come from {@link VerifiedPrimes}) so that validated parameters
 * carry them and the math layer never reaches up.
 */
final class PrimeRoots {
    private PrimeRoots() {}

    /**
     * The smallest primitive 2n-th root of unity modulo a prime q = 1 mod 2n (the rule the reference
     * follows for every preset). The primitive 2n-th roots are exactly g^k for odd k, given any one g,
     * so all n of them are enumerated and the least is returned.
     */
    static long smallestPrimitive2nthRoot(long q, int n) {
        long recorded = VerifiedPrimes.root(q, n);
        return recorded != 0 ? recorded : compute(q, n);
    }

    /** {@link #smallestPrimitive2nthRoot} without the recorded table (its test checks the table with this). */
    static long compute(long q, int n) {
        BigInteger bq = BigInteger.valueOf(q);
        if (!bq.isProbablePrime(64)) {
            throw new IllegalArgumentException(q + " is not prime");
        }
        long twoN = 2L * n;
        if ((q - 1) % twoN != 0) {
            throw new IllegalArgumentException(q + " is not 1 mod " + twoN);
        }
        BigInteger exponent = BigInteger.valueOf((q - 1) / twoN);
        BigInteger minusOne = bq.subtract(BigInteger.ONE);
        BigInteger g = null;
        for (long x = 2; g == null; x++) {
            BigInteger candidate = BigInteger.valueOf(x).modPow(exponent, bq);
            if (candidate.modPow(BigInteger.valueOf(n), bq).equals(minusOne)) { // order exactly 2n
                g = candidate;
            }
        }
        BigInteger gSquared = g.multiply(g).mod(bq);
        long best = g.longValueExact();
        BigInteger current = g;
        for (int k = 1; k < n; k++) {             // g^(2k+1)
            current = current.multiply(gSquared).mod(bq);
            best = Math.min(best, current.longValueExact());
        }
        return best;
    }
}
