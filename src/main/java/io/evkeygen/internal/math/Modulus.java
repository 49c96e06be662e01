package io.evkeygen.internal.math;

import java.math.BigInteger;

/**
 * Arithmetic modulo an odd prime q below 2^61, on values held in Java longs.
 *
 * <p>The bound keeps the lazy NTT's values in [0, 4q) non-negative as signed longs. Two multiplication
 * forms are used: Shoup's (a constant operand with a precomputed quotient {@code w' = floor(w * 2^64 / q)};
 * one high multiply) wherever one operand is reused, and Montgomery's for the one-off products that
 * compute Shoup quotients themselves, so no 128-bit division is ever needed at run time.
 */
public final class Modulus {
    /** Largest supported modulus bit length (4q must stay below 2^63). */
    public static final int MAX_BITS = 61;

    private final long q;
    private final long qInvNeg;   // -q^-1 mod 2^64, for Montgomery reduction
    private final long qInv;      // q^-1 mod 2^64, for exact division
    private final long r2;        // 2^128 mod q: Montgomery form conversion
    private final int bits;

    public Modulus(long q) {
        if (q < 3 || (q & 1) == 0 || 64 - Long.numberOfLeadingZeros(q) > MAX_BITS) {
            throw new IllegalArgumentException("modulus must be odd, >= 3 and below 2^" + MAX_BITS);
        }
        this.q = q;
        this.bits = 64 - Long.numberOfLeadingZeros(q);
        long inv = q; // Newton iteration: each step doubles the correct low bits (q*q = 1 mod 8)
        for (int i = 0; i < 5; i++) {
            inv *= 2 - q * inv;
        }
        this.qInv = inv;
        this.qInvNeg = -inv;
        this.r2 = BigInteger.ONE.shiftLeft(128).mod(BigInteger.valueOf(q)).longValueExact();
    }

    public long value() {
        return q;
    }

    /** Bit length of q. */
    public int bits() {
        return bits;
    }

    /** High 64 bits of the unsigned product of a (non-negative) and b (any). */
    static long mulHighUnsignedB(long a, long b) {
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
    }

    /**
     * {@code v >= m ? v - m : v} for v, m in [0, 2^63), by a mask rather than a branch: the secret
     * and the errors pass through here (docs/ALGORITHMS.md, "Constant time").
     */
    public static long subIfGe(long v, long m) {
        long d = v - m;
        return d + (m & (d >> 63));
    }

    public long add(long a, long b) {
        return subIfGe(a + b, q);
    }

    public long sub(long a, long b) {
        long d = a - b;
        return d + (q & (d >> 63));
    }

    /** Reduces a small signed integer into [0, q) (public values: uses %). */
    public long fromSigned(long v) {
        long r = v % q;
        return r < 0 ? r + q : r;
    }

    /** Centred representative in (-q/2, q/2]. */
    public long centered(long v) {
        return v - (q & ((q >>> 1) - v >> 63)); // v > q/2: v - q
    }

    /** Shoup quotient {@code floor(w * 2^64 / q)} (as unsigned bits) for a constant w in [0, q). */
    public long shoup(long w) {
        // w*2^64 = w' * q + rem with rem = w*2^64 mod q, so w' = -rem * q^-1 mod 2^64 (exact division).
        long rem = montMul(w, r2);
        return -rem * qInv;
    }

    /** w * x mod q, lazily in [0, 2q), for any x in [0, 2^63) and w in [0, q) with w' = shoup(w). */
    public long mulShoupLazy(long x, long w, long wShoup) {
        long qhat = mulHighUnsignedB(x, wShoup);
        return x * w - qhat * q;
    }

    /** w * x mod q in [0, q). */
    public long mulShoup(long x, long w, long wShoup) {
        return subIfGe(mulShoupLazy(x, w, wShoup), q);
    }

    /** a * b * 2^-64 mod q for a, b in [0, q). */
    long montMul(long a, long b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b); // a, b < 2^61: signed and unsigned agree
        long m = lo * qInvNeg;
        // (lo + m*q) is divisible by 2^64; its high word is hi + mulhi(m, q) + carry(lo != 0).
        long t = hi + mulHighUnsignedA(m, q) + ((lo | -lo) >>> 63); // carry = (lo != 0)
        return subIfGe(t, q);
    }

    private static long mulHighUnsignedA(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b);
    }

    /** a * b mod q for a, b in [0, q). */
    public long mul(long a, long b) {
        return montMul(montMul(a, b), r2);
    }

    /** base^exp mod q. */
    public long pow(long base, long exp) {
        long result = 1 % q;
        long b = base % q;
        long e = exp;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = mul(result, b);
            }
            b = mul(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** Inverse of a non-zero a by Fermat (q is prime). */
    public long inverse(long a) {
        return pow(a, q - 2);
    }

    @Override
    public String toString() {
        return "Modulus[" + q + "]";
    }
}
