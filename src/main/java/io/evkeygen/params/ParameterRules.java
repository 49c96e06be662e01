package io.evkeygen.params;

import io.evkeygen.error.KeygenException;
import java.math.BigInteger;
import java.util.Locale;

/** The conditions every parameter set must meet; each broken one has its own message. */
final class ParameterRules {
    private ParameterRules() {}

    static void check(String preset, int n, long q, long p, int hammingWeight, double errorSigma, int errorBound) {
        if (preset == null || preset.isEmpty() || !preset.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw KeygenException.usage("preset name must be printable ASCII without spaces");
        }
        if (n != 4096) {
            throw KeygenException.usage("ring degree N = " + n + " is not supported (only 4096)");
        }
        checkPrime("Q", q, n);
        checkPrime("P", p, n);
        if (q == p) {
            throw KeygenException.usage("Q and P must be distinct primes");
        }
        double logQP = logQP(q, p);
        if (logQP > Parameters.MAX_LOG_QP_4096) {
            throw KeygenException.usage(String.format(Locale.ROOT,
                    "log2(Q*P) = %.1f bits exceeds %d, the 128-bit security bound for N = 4096 with a ternary secret",
                    logQP, Parameters.MAX_LOG_QP_4096));
        }
        if (hammingWeight <= 0 || hammingWeight > n) {
            throw KeygenException.usage("hamming weight must be in 1.." + n + ", got " + hammingWeight);
        }
        if (errorSigma != 3.2 || errorBound != 19) {
            throw KeygenException.usage("only the error distribution sigma = 3.2, |e| <= 19 is supported");
        }
    }

    private static void checkPrime(String name, long v, int n) {
        if (v <= 2 || 64 - Long.numberOfLeadingZeros(v) > Parameters.MAX_MODULUS_BITS) {
            throw KeygenException.usage(name + " = " + v + " must be below 2^" + Parameters.MAX_MODULUS_BITS
                    + " (the NTT's lazy reduction bound)");
        }
        if (VerifiedPrimes.root(v, n) != 0) {
            return; // recorded: prime and 1 mod 2N
        }
        if (!isPrime(v)) {
            throw KeygenException.usage(name + " = " + v + " is not prime");
        }
        if ((v - 1) % (2L * n) != 0) {
            throw KeygenException.usage(name + " = " + v + " is not 1 mod 2N = " + (2L * n));
        }
    }

    /** A Miller-Rabin test with an error bound of 2^-100 (the recorded primes' test uses it too). */
    static boolean isPrime(long v) {
        return BigInteger.valueOf(v).isProbablePrime(100);
    }

    /** log2(q * p) in floating point (exact enough for a bound check at one decimal). */
    static double logQP(long q, long p) {
        return (Math.log(q) + Math.log(p)) / Math.log(2);
    }
}
