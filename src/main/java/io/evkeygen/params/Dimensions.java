package io.evkeygen.params;

import io.evkeygen.error.KeygenException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The vector dimensions a key set serves: powers of two from 32 to 4096. */
public final class Dimensions {
    public static final int MIN = 32;
    public static final int MAX = 4096;
    /** The default list, as the Python SDK uses it. */
    public static final List<Integer> DEFAULT = List.of(32, 64, 128, 256, 512, 1024, 2048, 4096);

    private Dimensions() {}

    public static void check(int dim) {
        if (dim < MIN || dim > MAX || Integer.bitCount(dim) != 1) {
            throw KeygenException.usage("dimension " + dim + " is not a power of two from 32 to 4096");
        }
    }

    /** Validates and returns the dims sorted, without duplicates; empty means the default list. */
    public static List<Integer> normalize(Collection<Integer> dims) {
        if (dims == null || dims.isEmpty()) {
            return DEFAULT;
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer d : dims) {
            if (d == null) {
                throw KeygenException.usage("dimension must not be null");
            }
            check(d);
            sorted.add(d);
        }
        return List.copyOf(sorted);
    }

    /** The distinct pad ranks the dims need under a mode, increasing (empty for MM). */
    public static List<Integer> padRanks(EvalMode mode, Collection<Integer> dims) {
        TreeSet<Integer> ranks = new TreeSet<>();
        for (int d : normalize(dims)) {
            int r = mode.padRank(d);
            if (r > 0) {
                ranks.add(r);
            }
        }
        return List.copyOf(ranks);
    }
}
