package io.evkeygen.params;

import java.util.Locale;

/**
 * Classical security of a parameter set from the HomomorphicEncryption.org standard's table for
 * N = 4096 with a ternary secret: log2(Q*P) at most 109 bits gives 128-bit security, 75 gives 192,
 * 58 gives 256. A bracket, not a lattice-estimator run.
 */
public final class SecurityEstimate {
    private static final int[][] TABLE_4096 = {{256, 58}, {192, 75}, {128, 109}};

    private SecurityEstimate() {}

    /** The largest standard level whose log2(Q*P) bound the parameters meet, or 0 below 128 bits. */
    public static int classicalBits(Parameters p) {
        for (int[] row : TABLE_4096) {
            if (p.logQP() <= row[1]) {
                return row[0];
            }
        }
        return 0;
    }

    /** e.g. {@code at least 128-bit classical (log2(Q*P) = 106.0 <= 109)}. */
    public static String describe(Parameters p) {
        int bits = classicalBits(p);
        if (bits == 0) {
            return String.format(Locale.ROOT, "below 128-bit (log2(Q*P) = %.1f > %d)", p.logQP(),
                    Parameters.MAX_LOG_QP_4096);
        }
        int bound = 0;
        for (int[] row : TABLE_4096) {
            if (row[0] == bits) {
                bound = row[1];
            }
        }
        return String.format(Locale.ROOT, "at least %d-bit classical (log2(Q*P) = %.1f <= %d)", bits, p.logQP(), bound);
    }
}
