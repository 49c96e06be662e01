package io.evkeygen.internal.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The 128-bit conversion rounds exactly as BigInteger.doubleValue (nearest, ties to even). */
class UInt128Test {
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    private static BigInteger big(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).multiply(TWO64).add(new BigInteger(Long.toUnsignedString(lo)));
    }

    private static void check(long hi, long lo) {
        double want = big(hi, lo).doubleValue();
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(UInt128.toDouble(hi, lo)),
                () -> "hi " + Long.toHexString(hi) + " lo " + Long.toHexString(lo));
    }

    @Test
    void randomValuesOfEveryLengthRoundLikeBigInteger() {
        Random rnd = new Random(23);
        for (int i = 0; i < 200_000; i++) {
            int bits = 1 + rnd.nextInt(128);
            BigInteger v = new BigInteger(bits, rnd);
            if (rnd.nextInt(4) == 0) { // sparse values: exact halves and near-halves, where rounding is decided
                int keep = 1 + rnd.nextInt(60);
                v = v.shiftRight(Math.max(0, bits - keep)).shiftLeft(Math.max(0, bits - keep));
                if (rnd.nextBoolean()) {
                    v = v.add(BigInteger.ONE.shiftLeft(rnd.nextInt(Math.max(1, bits))));
                }
            }
            check(v.shiftRight(64).longValue(), v.longValue());
        }
    }

    @Test
    void tiesGoToEven() {
        check(1, 1L << 11);                 // 2^64 + 2^11: exactly half an ulp, rounds down to even
        check(1, 3L << 11);                 // 2^64 + 3·2^11: half an ulp above odd, rounds up
        check(1, (1L << 11) + 1);           // a sticky bit below the half: rounds up
        check(0, -1L);                      // 2^64 - 1
        check(-1L, -1L);                    // 2^128 - 1
        check(1L << 63, 0);
        check(0, 0);
    }

    @Test
    void comparisonIsUnsigned() {
        assertTrue(UInt128.greater(0, -1L, 0, 1));
        assertTrue(UInt128.greater(1, 0, 0, -1L));
        assertFalse(UInt128.greater(5, 5, 5, 5));
        assertFalse(UInt128.greater(0, 1, 0, -1L));
    }
}
