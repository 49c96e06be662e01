package io.evkeygen.internal.score;

import io.evkeygen.error.KeygenException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The header of one serialized search result, {@code EVCiphertext.data} (SCORES.md): checked so that
 * every word the decoder reads is inside the bytes. Nothing is allocated from the untrusted counts
 * here; the decoder allocates {@code n} floats only after this check bounds {@code n} by the size.
 *
 * @param index  the ciphertext's position in its request (named in every refusal)
 * @param level  0 (one limb, mod Q) or 1 (mod Q and mod P)
 * @param n      the number of scores, at least 1, at most {@code DEGREE * blocks}
 * @param dim    the header's dim (RMP/FLAT: not used by the reference, which writes 1)
 * @param blocks {@code ceil(n / DEGREE)}
 */
public record ScoreCiphertext(int index, int level, long n, long dim, int blocks) {
    /** Items per block and words per polynomial: the only degree whose item mapping is established. */
    public static final int DEGREE = 4096;
    static final int HEADER = 33;
    private static final int TAG_INNER_PRODUCT = 0;
    private static final long BLOCK_POLY_BYTES = 8L * DEGREE;

    static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Which polynomial, in the order the data holds them. */
    enum Part { A_Q, B_Q, A_P, B_P }

    /**
     * Reads and checks the header of {@code data}.
     *
     * @throws KeygenException USAGE "score ciphertext i: ..." naming what is wrong
     */
    public static ScoreCiphertext parse(int index, byte[] data) {
        if (data == null || data.length < HEADER) {
            throw refuse(index, (data == null ? 0 : data.length) + " bytes, shorter than the " + HEADER
                    + "-byte header");
        }
        int tag = data[0] & 0xff;
        if (tag != TAG_INNER_PRODUCT) {
            throw refuse(index, "tag " + tag + " is not 0 (an inner-product result)");
        }
        int level = (int) U32.get(data, 5);
        if (level != 0 && level != 1) {
            throw refuse(index, "level " + level + " is not 0 or 1");
        }
        long n = (long) U64.get(data, 9);
        long dim = (long) U64.get(data, 17);
        long degree = (long) U64.get(data, 25);
        if (degree != DEGREE) {
            throw refuse(index, "degree " + Long.toUnsignedString(degree) + " is not " + DEGREE
                    + " (the only degree whose item order is known)");
        }
        if (n == 0) {
            throw refuse(index, "n is 0: no scores");
        }
        long blockBytes = limbs(level) * 2 * BLOCK_POLY_BYTES;
        long held = (data.length - HEADER) / blockBytes; // whole blocks the bytes hold
        long needed = Long.divideUnsigned(n - 1, DEGREE) + 1; // ceil(n / DEGREE), n read unsigned
        if (n < 0 || needed > held) {
            throw refuse(index, "n = " + Long.toUnsignedString(n) + " items need " + Long.toUnsignedString(needed)
                    + " block(s) of " + blockBytes + " bytes at level " + level + ", but the " + data.length
                    + " bytes hold " + held + ": truncated or inconsistent");
        }
        return new ScoreCiphertext(index, level, n, dim, (int) needed);
    }

    static int limbs(int level) {
        return level + 1;
    }

    /** Byte offset of block {@code block} of polynomial {@code part}. */
    int offset(Part part, int block) {
        return (int) (HEADER + ((long) part.ordinal() * blocks + block) * BLOCK_POLY_BYTES); // inside the data: checked
    }

    static KeygenException refuse(int index, String problem) {
        return KeygenException.usage("score ciphertext " + index + ": " + problem);
    }
}
