package io.evkeygen.params;

import io.evkeygen.error.KeygenException;

/**
 * An immutable, validated RLWE parameter set (spec section 1). Build one with {@link #of} (roots are
 * computed from the primes), {@link Presets#byName}, or {@link #custom}.
 *
 * @param preset         name written into headers and envelopes, e.g. {@code IP0}
 * @param n              ring degree (4096)
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

    /** Moduli must stay below 2^61: the lazy NTT keeps values in [0, 4q) inside a signed 64-bit word. */
    public static final int MAX_MODULUS_BITS = 61;

    /**
     * Largest log2(Q*P) for N = 4096: the HomomorphicEncryption.org standard's bound for 128-bit
     * classical security with a ternary secret.
     */
    public static final int MAX_LOG_QP_4096 = 109;

    /** The default preset, IP0 (from the definitions without going through {@link Presets}' state). */
    public static final Parameters IP0 = Presets.definitions().stream()
            .filter(p -> p.preset().equals(Presets.DEFAULT)).findFirst().orElseThrow();

    public Parameters {
        ParameterRules.check(preset, n, q, p, hammingWeight, errorSigma, errorBound);
        if (psiQ != PrimeRoots.smallestPrimitive2nthRoot(q, n) || psiP != PrimeRoots.smallestPrimitive2nthRoot(p, n)) {
            throw KeygenException.usage("psi must be the smallest primitive 2N-th root of unity of each prime");
        }
    }

    /** Builds a parameter set, computing each prime's root; throws USAGE naming the broken rule. */
    public static Parameters of(String preset, int n, long q, long p, int hammingWeight, double errorSigma,
                                int errorBound, double dbScale, double queryScale) {
        ParameterRules.check(preset, n, q, p, hammingWeight, errorSigma, errorBound);
        return new Parameters(preset, n, q, p, PrimeRoots.smallestPrimitive2nthRoot(q, n),
                PrimeRoots.smallestPrimitive2nthRoot(p, n), hammingWeight, errorSigma, errorBound, dbScale, queryScale);
    }

    /** Custom moduli with this project's error distribution, named {@value Presets#CUSTOM_NAME}. */
    public static Parameters custom(long q, long p, int hammingWeight, double dbScale, double queryScale) {
        return of(Presets.CUSTOM_NAME, 4096, q, p, hammingWeight, 3.2, 19, dbScale, queryScale);
    }

    public int logN() {
        return Integer.numberOfTrailingZeros(n);
    }

    /** P mod Q, the factor of the source key in key-switching keys. */
    public long pModQ() {
        return Long.remainderUnsigned(p, q);
    }

    /** log2(Q * P), the quantity the security bound limits. */
    public double logQP() {
        return ParameterRules.logQP(q, p);
    }

    /** True for a named preset (not custom). */
    public boolean isNamedPreset() {
        return !Presets.CUSTOM_NAME.equals(preset);
    }

    /** Resolves a preset name given on the command line or in the SDK. */
    public static Parameters forPreset(String name) {
        return Presets.byName(name);
    }
}
