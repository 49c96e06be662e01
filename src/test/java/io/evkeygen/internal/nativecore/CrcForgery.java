package io.evkeygen.internal.nativecore;

import java.util.zip.CRC32;

/** Bytes of the same size and CRC-32 as a given array but other content: what a size and CRC check accepts. */
final class CrcForgery {
    private CrcForgery() {}

    /**
     * Changes a byte, then four others chosen so that the CRC-32 is the original's again (CRC-32 is
     * affine over GF(2) for a fixed length, and any 32 consecutive bits reach every value).
     */
    static byte[] sameSizeAndCrc(byte[] original) {
        byte[] forged = original.clone();
        forged[0] ^= 0x5a;
        int at = original.length / 2;
        long base = crc(forged);
        long[] vector = new long[32]; // by pivot bit: a reachable CRC difference, and in bits 32.. which flips give it
        for (int bit = 0; bit < 32; bit++) {
            byte[] t = forged.clone();
            t[at + bit / 8] ^= (byte) (1 << (bit % 8));
            long v = (crc(t) ^ base) | (1L << (32 + bit));
            for (int p = 31; p >= 0 && v != 0; p--) {
                if ((v >>> p & 1) != 0) {
                    if (vector[p] == 0) {
                        vector[p] = v;
                        v = 0;
                    } else {
                        v ^= vector[p];
                    }
                }
            }
        }
        long want = base ^ crc(original);
        for (int p = 31; p >= 0; p--) {
            if ((want >>> p & 1) != 0) {
                want ^= vector[p];
            }
        }
        long flips = want >>> 32;
        for (int bit = 0; bit < 32; bit++) {
            if ((flips >>> bit & 1) != 0) {
                forged[at + bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
        if (crc(forged) != crc(original)) {
            throw new IllegalStateException("no forgery");
        }
        return forged;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
