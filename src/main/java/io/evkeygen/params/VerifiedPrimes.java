package io.evkeygen.params;

/**
 * The presets' primes, recorded with their smallest primitive 2N-th roots of unity, so that a run
 * with a preset does no BigInteger work: a cold JVM spends tens of milliseconds interpreting the
 * primality tests and root searches. {@code VerifiedPrimesTest} recomputes every entry; other primes
 * (custom parameters) are checked and their roots computed as before.
 */
final class VerifiedPrimes {
    /** {prime, N, smallest primitive 2N-th root of unity mod prime}. */
    static final long[][] ENTRIES = {
        {2251799813554177L, 4096, 278055349447L},
        {36028797014376449L, 4096, 115736144453L},
        {1152921504606830593L, 4096, 116777451583545L},
        {1032193L, 4096, 194L},
    };

    private VerifiedPrimes() {}

    /** The recorded root of {@code prime} for ring degree {@code n}, or 0 when that pair is not recorded. */
    static long root(long prime, int n) {
        for (long[] e : ENTRIES) {
            if (e[0] == prime && e[1] == n) {
                return e[2];
            }
        }
        return 0;
    }
}
