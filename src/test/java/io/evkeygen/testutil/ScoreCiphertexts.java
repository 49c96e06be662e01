package io.evkeygen.testutil;

import io.evkeygen.internal.math.Modulus;
import io.evkeygen.internal.math.Ntt;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.params.Parameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Score ciphertexts in the layout of SCORES.md, made here: a header with any field values, and a real
 * public-key encryption of chosen scores under an EncKey.bin ({@code a = u·pkA + e1},
 * {@code b = u·pkB + e0 + m} in the NTT domain, so that {@code b + a·s = m + u·e + e0 + e1·s}).
 */
public final class ScoreCiphertexts {
    public static final int N = 4096;
    public static final int HEADER = 33;

    private ScoreCiphertexts() {}

    /** A 33-byte header; {@code size} bytes in all, the rest zero. */
    public static byte[] withHeader(int size, int tag, int level, long n, long dim, long degree) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) tag).putInt(0).putInt(level).putLong(n).putLong(dim).putLong(degree);
        return b.array();
    }

    /** Bytes of a well-formed ciphertext of {@code blocks} blocks, all words zero. */
    public static int size(int level, int blocks) {
        return HEADER + (level + 1) * 2 * blocks * N * 8;
    }

    /** Sets word {@code j} of polynomial {@code part} (0 aQ, 1 bQ, 2 aP, 3 bP) of a ciphertext of {@code blocks} blocks. */
    public static void putWord(byte[] data, int part, int blocks, int j, long value) {
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putLong(HEADER + 8 * (part * blocks * N + j), value);
    }

    /**
     * Encrypts {@code values} (item j is {@code values[j]}) for pad rank {@code padRank} at {@code scale}:
     * the message coefficients are {@code round(value · scale)}, placed as SCORES.md step 5 reads them.
     * The header names {@code headerDim} (the reference writes 1).
     */
    public static byte[] encrypt(Parameters params, byte[] encKeyBin, double[] values, int padRank, double scale,
                                 int level, long headerDim, Random rnd) {
        int blocks = (values.length + N - 1) / N;
        RingContext ring = RingContext.of(params);
        Ntt[] ntts = level == 0 ? new Ntt[] {ring.nttQ()} : new Ntt[] {ring.nttQ(), ring.nttP()};
        byte[] data = withHeader(size(level, blocks), 0, level, values.length, headerDim, N);
        int perColumn = N / padRank;
        for (int block = 0; block < blocks; block++) {
            BigInteger[] m = new BigInteger[N];
            Arrays.fill(m, BigInteger.ZERO);
            for (int j = 0; j < N && block * N + j < values.length; j++) {
                m[(j % perColumn) * padRank + j / perColumn] = new BigDecimal(values[block * N + j])
                        .multiply(new BigDecimal(scale)).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            }
            int[] u = small(rnd, 1);
            int[] e0 = small(rnd, 4);
            int[] e1 = small(rnd, 4);
            for (int limb = 0; limb < ntts.length; limb++) {
                Ntt ntt = ntts[limb];
                Modulus mod = ntt.modulus();
                long[] pkA = encKeyPoly(encKeyBin, limb);          // a_Q, a_P
                long[] pkB = encKeyPoly(encKeyBin, 2 + limb);      // b_Q, b_P
                long[] msg = new long[N];
                for (int c = 0; c < N; c++) {
                    msg[c] = m[c].mod(BigInteger.valueOf(mod.value())).longValueExact();
                }
                ntt.forward(msg);
                long[] uN = RingContext.smallToNtt(ntt, u);
                long[] e0N = RingContext.smallToNtt(ntt, e0);
                long[] e1N = RingContext.smallToNtt(ntt, e1);
                for (int i = 0; i < N; i++) {
                    long a = mod.add(mod.mul(uN[i], pkA[i]), e1N[i]);
                    long b = mod.add(mod.add(mod.mul(uN[i], pkB[i]), e0N[i]), msg[i]);
                    putWord(data, 2 * limb, blocks, block * N + i, a);
                    putWord(data, 2 * limb + 1, blocks, block * N + i, b);
                }
            }
        }
        return data;
    }

    private static int[] small(Random rnd, int bound) {
        int[] v = new int[N];
        for (int i = 0; i < N; i++) {
            v[i] = rnd.nextInt(2 * bound + 1) - bound;
        }
        return v;
    }

    /** Polynomial {@code k} (0 a_Q, 1 a_P, 2 b_Q, 3 b_P) of EncKey.bin, after its 5-byte header. */
    private static long[] encKeyPoly(byte[] encKeyBin, int k) {
        ByteBuffer b = ByteBuffer.wrap(encKeyBin).order(ByteOrder.LITTLE_ENDIAN);
        long[] p = new long[N];
        for (int i = 0; i < N; i++) {
            p[i] = b.getLong(5 + 8 * (k * N + i));
        }
        return p;
    }
}
