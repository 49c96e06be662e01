package io.evkeygen.params;

import io.evkeygen.error.KeygenException;
import java.util.Locale;

/** How the server evaluates inner products; decides which key-switching keys the EvalKey holds. */
public enum EvalMode {
    /** Default: rank-32 keys for dims up to 2048, rank-64 keys for 4096. */
    RMP,
    /** One rank per dimension (rank = dim); very large EvalKeys. */
    FLAT,
    /** No key-switching keys; EvalKey.bin is the single byte 0x00. */
    MM;

    /** The pad rank a dimension needs, or 0 for MM (spec section 5). */
    public int padRank(int dim) {
        Dimensions.check(dim);
        return switch (this) {
            case RMP -> dim <= 2048 ? 32 : 64;
            case FLAT -> dim;
            case MM -> 0;
        };
    }

    /** Parses {@code rmp}, {@code flat} or {@code mm} (any case). */
    public static EvalMode parse(String text) {
        if (text != null) {
            for (EvalMode m : values()) {
                if (m.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return m;
                }
            }
        }
        throw KeygenException.usage("unknown eval mode '" + text + "': use rmp, flat or mm");
    }
}
