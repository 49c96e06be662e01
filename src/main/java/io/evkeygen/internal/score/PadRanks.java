package io.evkeygen.internal.score;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which pad rank decodes a score ciphertext of a key set (SCORES.md, step 5): the header dim's when it
 * is one of the set's dims (the reference writes 1 there, so usually it is not), else the one pad
 * rank every dim of the set shares; never a guess. The rank of a dim is {@link EvalMode#padRank}'s.
 */
public final class PadRanks {
    /** The refusal for MM sets, whose ranking order is not established. */
    public static final String MM_UNSUPPORTED = "TopK for MM sets is not supported";

    private final EvalMode mode;
    private final List<Integer> dims;
    private final TreeSet<Integer> ranks = new TreeSet<>();

    public PadRanks(EvalMode mode, List<Integer> dims) {
        this.mode = mode;
        this.dims = List.copyOf(dims);
        if (mode != EvalMode.MM) {
            for (int d : this.dims) {
                ranks.add(mode.padRank(d));
            }
        }
    }

    /**
     * @param prefix starts the message of a refusal (for example {@code "score ciphertext 3: "}), may be empty
     * @throws KeygenException USAGE for an MM set, a set without dims, or dims whose pad ranks differ
     *                         when the header's dim is not one of them
     */
    public int of(long headerDim, String prefix) {
        if (mode == EvalMode.MM) {
            throw KeygenException.usage(prefix + MM_UNSUPPORTED);
        }
        if (headerDim > 0 && headerDim <= Integer.MAX_VALUE && dims.contains((int) headerDim)) {
            return mode.padRank((int) headerDim);
        }
        if (ranks.size() == 1) {
            return ranks.first();
        }
        if (ranks.isEmpty()) {
            throw KeygenException.usage(prefix + "the key set names no dims, so no pad rank decodes its scores");
        }
        String listed = ranks.stream().map(String::valueOf).collect(Collectors.joining(", "));
        int last = listed.lastIndexOf(", ");
        listed = listed.substring(0, last) + " and" + listed.substring(last + 1);
        throw KeygenException.usage(prefix + "the header's dim " + Long.toUnsignedString(headerDim)
                + " is not one of the set's " + mode + " dims " + dims + ", and dims with pad ranks " + listed
                + ": generate with one dim");
    }
}
