package io.evkeygen.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import org.junit.jupiter.api.Test;

class PresetsTest {

    @Test
    void rootsComputedFromThePrimesEqualTheSpecTable() {
        assertEquals(278055349447L, PrimeRoots.compute(2251799813554177L, 4096));
        assertEquals(115736144453L, PrimeRoots.compute(36028797014376449L, 4096));
        assertEquals(116777451583545L, PrimeRoots.compute(1152921504606830593L, 4096));
        assertEquals(194L, PrimeRoots.compute(1032193L, 4096));
    }

    @Test
    void presetsAreDataWithTheSpecValues() {
        Parameters ip0 = Presets.byName("ip0");
        assertEquals(Parameters.IP0, ip0);
        assertEquals(278055349447L, ip0.psiQ());
        Parameters ip1 = Presets.byName("IP1");
        assertEquals(1152921504606830593L, ip1.q());
        assertEquals(1032193L, ip1.p());
        assertEquals(34.0, ip1.dbScale());
        assertEquals(24.0, ip1.queryScale());
        assertEquals(2730, ip1.hammingWeight());
        assertEquals(KeygenException.Kind.USAGE,
                assertThrows(KeygenException.class, () -> Presets.byName("ip9")).kind());
    }

    private static String refusal(long q, long p) {
        return assertThrows(KeygenException.class, () -> Parameters.custom(q, p, 2730, 24.0, 24.0)).getMessage();
    }

    @Test
    void eachBrokenRuleHasItsOwnMessage() {
        long q = 2251799813554177L;
        long p = 36028797014376449L;
        assertTrue(refusal(8193L * 8193L, p).contains("Q = 67125249 is not prime"));   // 1 mod 2N, composite
        assertTrue(refusal(q, 8193L * 8193L).contains("P = 67125249 is not prime"));
        assertTrue(refusal(12289L, p).contains("not 1 mod 2N"), refusal(12289L, p));            // prime, 1 mod 4096 only
        assertTrue(refusal((1L << 62) - 57, p).contains("below 2^61"));
        assertTrue(refusal(q, q).contains("distinct"));
        assertTrue(refusal(1152921504606830593L, p).contains("exceeds 109"));
        assertTrue(refusal(-5, p).contains("below 2^61"));
    }

    @Test
    void aValidCustomSetIsNamedRuntime() {
        Parameters c = Parameters.custom(36028797014376449L, 2251799813554177L, 2730, 20.0, 22.0);
        assertEquals(Presets.CUSTOM_NAME, c.preset());
        assertEquals(115736144453L, c.psiQ());
        assertTrue(c.logQP() > 105 && c.logQP() < 107);
    }

    @Test
    void securityLevelsFollowTheStandardTable() {
        assertEquals(128, SecurityEstimate.classicalBits(Presets.byName("ip0")));   // 106 bits of Q*P
        assertEquals(128, SecurityEstimate.classicalBits(Presets.byName("ip1")));   // 80 bits
        assertEquals(192, SecurityEstimate.classicalBits(
                Parameters.custom(1032193L, 2251799813554177L, 2730, 24.0, 24.0)));  // 20 + 51 = 71 bits
        assertTrue(SecurityEstimate.describe(Presets.byName("ip0")).startsWith("at least 128-bit"));
    }
}
