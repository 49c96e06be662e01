package io.evkeygen.params;

import io.evkeygen.KeygenException;
import java.util.Locale;

/**
 * An immutable, validated RLWE parameter set (spec section 1).
 *
 * @param preset         name written into headers and envelopes, e.g. {@code IP0}
 * @param n              ring degree (a power of two)
 * @param q              ciphertext prime, 1 mod 2n
 * @param p              special prime for key switching, 1 mod 2n
 * @param psiQ           the smallest primitive 2n-th root of unity mod q
 * @param psiP           the smallest primitive 2n-th root of unity mod p
 * @param hammingWeight  exact number of non-zero secret coefficients
 * @param errorSigma     standard deviation of the error sampler
 * @param errorBound     largest |e| the sampler produces
 * @param dbScale        DB scale factor (log2), written to envelopes
 * @param queryScale     QUERY scale factor (log2), written to envelopes
 */
public record Parameters(String preset, int n, long q, long p, long psiQ, long psiP, int hammingWeight,
                         double errorSigma, int errorBound, double dbScale, double queryScale) {

    /** Largest |e| a verifier accepts in any key equation (spec section 1). */
    public static final int VERIFY_ERROR_BOUND = 32;

    /** The default preset. */
    public static final Parameters IP0 = new Parameters("IP0", 4096,
            2251799813554177L, 36028797014376449L, 278055349447L, 115736144453L,
            2730, 3.2, 19, 24.0, 24.0);

    public Parameters {
        if (n != 4096) {
            throw KeygenException.usage("ring degree " + n + " is not supported (only 4096)");
        }
        if (q <= 0 || p <= 0 || (q - 1) % (2L * n) != 0 || (p - 1) % (2L * n) != 0) {
            throw KeygenException.usage("moduli must be 1 mod 2N");
        }
        if (hammingWeight <= 0 || hammingWeight > n) {
            throw KeygenException.usage("hamming weight must be in 1.." + n);
        }
    }

    public int logN() {
        return Integer.numberOfTrailingZeros(n);
    }

    /** P mod Q, the factor of the source key in key-switching keys. */
    public long pModQ() {
        return Long.remainderUnsigned(p, q);
    }

    /** Resolves a preset name given on the command line or in the SDK. */
    public static Parameters forPreset(String name) {
        String key = name == null ? "ip0" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "ip0":
                return IP0;
            case "ip1":
                throw KeygenException.usage("preset ip1 is not supported yet: use ip0");
            default:
                throw KeygenException.usage("unknown preset '" + name + "': use ip0");
        }
    }
}
