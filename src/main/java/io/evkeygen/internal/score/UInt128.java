package io.evkeygen.internal.score;

/** Unsigned 128-bit values held as two longs: only what the level-1 CRT needs. */
final class UInt128 {
    private UInt128() {}

    /** The unsigned value {@code hi·2^64 + lo} as the nearest double (ties to even), as C's conversion gives it. */
    static double toDouble(long hi, long lo) {
        if (hi == 0) {
            return unsignedToDouble(lo);
        }
        int shift = 65 - Long.numberOfLeadingZeros(hi); // keep the top 63 bits: a positive long
        long top;
        boolean sticky;
        if (shift < 64) {
            top = (hi << (64 - shift)) | (lo >>> shift);
            sticky = (lo << (64 - shift)) != 0;
        } else {
            top = hi >>> (shift - 64);
            sticky = lo != 0 || (shift > 64 && (hi << (128 - shift)) != 0);
        }
        // 63 bits plus a sticky bit round to 53 exactly as the whole value would; scalb is exact
        return Math.scalb((double) (top | (sticky ? 1 : 0)), shift);
    }

    static double unsignedToDouble(long v) {
        if (v >= 0) {
            return v;
        }
        return (double) ((v >>> 1) | (v & 1)) * 2.0; // halve keeping a sticky bit, then double exactly
    }

    /** {@code (aHi, aLo) > (bHi, bLo)}, unsigned. */
    static boolean greater(long aHi, long aLo, long bHi, long bLo) {
        return aHi != bHi ? Long.compareUnsigned(aHi, bHi) > 0 : Long.compareUnsigned(aLo, bLo) > 0;
    }
}
