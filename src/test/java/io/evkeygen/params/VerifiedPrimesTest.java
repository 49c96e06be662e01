package io.evkeygen.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The recorded primes cannot rot: each is recomputed here the way custom parameters are checked. */
class VerifiedPrimesTest {

    @Test
    void everyRecordedEntryIsAPrimeOneMod2NWithItsSmallestRoot() {
        for (long[] e : VerifiedPrimes.ENTRIES) {
            long prime = e[0];
            int n = Math.toIntExact(e[1]);
            assertTrue(ParameterRules.isPrime(prime), prime + " is not prime");
            assertEquals(1, prime % (2L * n), prime + " is not 1 mod 2N");
            assertEquals(PrimeRoots.compute(prime, n), e[2], "root of " + prime);
        }
    }

    @Test
    void everyPresetPrimeIsRecorded() {
        for (Parameters p : Presets.all()) {
            assertNotEquals(0, VerifiedPrimes.root(p.q(), p.n()), p.preset() + " Q");
            assertNotEquals(0, VerifiedPrimes.root(p.p(), p.n()), p.preset() + " P");
        }
    }

    @Test
    void anUnrecordedPrimeIsComputed() {
        assertEquals(0, VerifiedPrimes.root(2251799813554177L, 2048));
        assertEquals(PrimeRoots.compute(40961L, 4096), PrimeRoots.smallestPrimitive2nthRoot(40961L, 4096));
    }
}
