package io.evkeygen.internal.score;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.internal.math.Modulus;
import io.evkeygen.internal.math.Ntt;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.internal.score.ScoreCiphertext.Part;
import io.evkeygen.params.Parameters;
import java.util.Arrays;

/**
 * Decrypts score ciphertexts (SCORES.md, "Decryption to real numbers") with a secret key held in NTT
 * form: phase {@code b + a·s} per limb slot by slot, inverse NTT, centring (level 1: an exact 128-bit
 * CRT to [0, QP)), times {@code 1.0 / scale} in double, then the coefficient-to-item order of the pad
 * rank, rounded to float. RMP and FLAT only (MM's words are coefficients, not NTT values).
 * Thread-safe; {@link #close} zeroes the secret, after the last call.
 */
public final class ScoreDecoder implements AutoCloseable {
    private static final int N = ScoreCiphertext.DEGREE;

    private final Modulus q;
    private final Modulus p;
    private final Ntt nttQ;
    private final Ntt nttP;
    private final long[] sQ;        // secret: s in NTT form mod Q, and Shoup quotients of it
    private final long[] sQShoup;
    private final long[] sP;
    private final long[] sPShoup;
    private final long qInvP;       // Q^-1 mod P, for the CRT
    private final long qInvPShoup;
    private final long qpHi;        // QP as 128 bits, and floor(QP / 2)
    private final long qpLo;
    private final long halfHi;
    private final long halfLo;
    private final long halfQ;
    private volatile boolean closed;

    /**
     * @param secKeyBin SecKey.bin (not kept: the caller zeroes it)
     * @throws KeygenException INVALID_KEY for a malformed SecKey.bin, USAGE for parameters with N != 4096
     */
    public ScoreDecoder(Parameters params, byte[] secKeyBin) {
        if (params.n() != N) {
            throw KeygenException.usage("score decryption needs N = " + N + ", the parameters have " + params.n());
        }
        RingContext ring = RingContext.of(params);
        q = ring.q();
        p = ring.p();
        nttQ = ring.nttQ();
        nttP = ring.nttP();
        byte[] s = SecKeyBin.decode(params, secKeyBin);
        try {
            sQ = RingContext.ternaryToNtt(nttQ, s);
            sP = RingContext.ternaryToNtt(nttP, s);
        } finally {
            Arrays.fill(s, (byte) 0);
        }
        sQShoup = shoupAll(q, sQ);
        sPShoup = shoupAll(p, sP);
        qInvP = p.inverse(q.value() % p.value());
        qInvPShoup = p.shoup(qInvP);
        qpLo = q.value() * p.value();
        qpHi = Math.multiplyHigh(q.value(), p.value()); // both below 2^61: signed and unsigned agree
        halfLo = (qpLo >>> 1) | (qpHi << 63);
        halfHi = qpHi >>> 1;
        halfQ = q.value() >>> 1;
    }

    private static long[] shoupAll(Modulus m, long[] w) {
        long[] out = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = m.shoup(w[i]);
        }
        return out;
    }

    /**
     * The {@code ct.n()} scores of {@code data} (whose header {@code ct} is).
     *
     * @throws KeygenException USAGE for a word that is not reduced, a pad rank that is not a power of two
     *                         from 32 to 4096, or a scale that is not a positive finite number
     */
    public float[] decode(ScoreCiphertext ct, byte[] data, int padRank, double scale) {
        if (padRank < 32 || padRank > N || Integer.bitCount(padRank) != 1) {
            throw ScoreCiphertext.refuse(ct.index(), "pad rank " + padRank + " is not a power of two from 32 to " + N);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw ScoreCiphertext.refuse(ct.index(), "scale " + scale + " is not a positive finite number");
        }
        if (closed) {
            throw new IllegalStateException("score decoder is closed");
        }
        double inv = 1.0 / scale;
        int perColumn = N / padRank; // items per coefficient column ("ipc"), a power of two
        int perColumnBits = Integer.numberOfTrailingZeros(perColumn);
        float[] out = new float[Math.toIntExact(ct.n())]; // n <= DEGREE * blocks the data holds: checked
        long[] mQ = new long[N];
        long[] mP = ct.level() == 1 ? new long[N] : null;
        for (int block = 0; block < ct.blocks(); block++) {
            phase(ct, data, block, Part.A_Q, Part.B_Q, q, sQ, sQShoup, mQ);
            nttQ.inverse(mQ);
            if (mP != null) {
                phase(ct, data, block, Part.A_P, Part.B_P, p, sP, sPShoup, mP);
                nttP.inverse(mP);
            }
            int base = block * N;
            int count = Math.min(N, out.length - base);
            for (int j = 0; j < count; j++) {
                int c = (j & (perColumn - 1)) * padRank + (j >>> perColumnBits); // (j % ipc)·r + j / ipc
                double centred = mP == null ? centreQ(mQ[c]) : centreQP(mQ[c], mP[c]);
                out[base + j] = (float) (centred * inv);
            }
        }
        return out;
    }

    /** {@code m = b + a·s} slot by slot in the NTT domain, refusing a word that is not reduced. */
    private void phase(ScoreCiphertext ct, byte[] data, int block, Part aPart, Part bPart, Modulus mod,
                       long[] s, long[] sShoup, long[] m) {
        int ao = ct.offset(aPart, block);
        int bo = ct.offset(bPart, block);
        long mv = mod.value();
        for (int j = 0; j < N; j++) {
            long a = (long) ScoreCiphertext.U64.get(data, ao + 8 * j);
            long b = (long) ScoreCiphertext.U64.get(data, bo + 8 * j);
            if (Long.compareUnsigned(a, mv) >= 0 || Long.compareUnsigned(b, mv) >= 0) {
                throw unreduced(ct, block, j, Long.compareUnsigned(a, mv) >= 0 ? aPart : bPart);
            }
            m[j] = mod.add(mod.mulShoup(a, s[j], sShoup[j]), b);
        }
    }

    private static KeygenException unreduced(ScoreCiphertext ct, int block, int j, Part part) {
        String limb = part == Part.A_Q || part == Part.B_Q ? "Q" : "P";
        String poly = part == Part.A_Q || part == Part.A_P ? "a" : "b";
        return ScoreCiphertext.refuse(ct.index(), "word " + j + " of block " + block + " of " + poly + " mod " + limb
                + " is not below " + limb + " (not reduced)");
    }

    private double centreQ(long m) {
        return m > halfQ ? -(double) (q.value() - m) : (double) m;
    }

    /** CRT of (mQ, mP) to x in [0, QP), exactly in 128 bits, then centred. */
    private double centreQP(long mQ, long mP) {
        long pv = p.value();
        long t = p.mulShoup(p.sub(mP, mQ % pv), qInvP, qInvPShoup); // x = mQ + Q·t, t in [0, P)
        long lo = q.value() * t;
        long hi = Math.multiplyHigh(q.value(), t);
        long xLo = lo + mQ;
        long xHi = hi + (Long.compareUnsigned(xLo, lo) < 0 ? 1 : 0);
        if (!UInt128.greater(xHi, xLo, halfHi, halfLo)) {
            return UInt128.toDouble(xHi, xLo);
        }
        long dLo = qpLo - xLo; // QP - x
        long dHi = qpHi - xHi - (Long.compareUnsigned(qpLo, xLo) < 0 ? 1 : 0);
        return -UInt128.toDouble(dHi, dLo);
    }

    /** Zeroes the secret key; idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(sQ, 0);
        Arrays.fill(sQShoup, 0);
        Arrays.fill(sP, 0);
        Arrays.fill(sPShoup, 0);
    }
}
