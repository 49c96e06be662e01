package io.evkeygen.internal.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.evkeygen.secret.Seed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The stream construction of docs/ALGORITHMS.md, re-derived with an independent implementation
 * (Bouncy Castle's HKDF and AES-CTR), so the document and the code cannot drift apart.
 */
class PrngTest {

    static byte[] independentKeystream(byte[] seed, String label, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(seed, "evkeygen/prng/v1".getBytes(StandardCharsets.US_ASCII),
                label.getBytes(StandardCharsets.US_ASCII)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, 32);
        SICBlockCipher ctr = new SICBlockCipher(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), new byte[16]));
        byte[] out = new byte[length];
        ctr.processBytes(new byte[length], 0, length, out, 0);
        return out;
    }

    @Test
    void streamIsHkdfKeyedAesCtrFromZeroCounter() {
        byte[] seed = new byte[64];
        for (int i = 0; i < 64; i++) {
            seed[i] = (byte) i;
        }
        for (String label : new String[] {"evkeygen/v1/secret/n4096/h2730", "x", "a longer label/with/parts"}) {
            byte[] expected = independentKeystream(seed, label, 20_000);
            byte[] got = new byte[20_000];
            try (Seed s = Seed.of(seed); Prng prng = new Prng(s)) {
                PrngStream st = prng.stream(label);
                byte[] head = new byte[3];
                st.nextBytes(head);                        // byte-wise and word-wise reads share one stream
                System.arraycopy(head, 0, got, 0, 3);
                byte[] rest = new byte[got.length - 3];
                st.nextBytes(rest);
                System.arraycopy(rest, 0, got, 3, rest.length);
            }
            assertArrayEquals(expected, got, label);
        }
    }

    @Test
    void wordsAreLittleEndian() {
        byte[] seed = new byte[64];
        byte[] expected = independentKeystream(seed, "w", 16);
        try (Seed s = Seed.of(seed); Prng prng = new Prng(s)) {
            PrngStream st = prng.stream("w");
            long w0 = st.nextLong();
            long w1 = st.nextLong();
            long e0 = java.nio.ByteBuffer.wrap(expected, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            long e1 = java.nio.ByteBuffer.wrap(expected, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            assertArrayEquals(new long[] {e0, e1}, new long[] {w0, w1});
        }
    }

    @Test
    void distinctLabelsAndSeedsGiveDistinctStreams() {
        byte[] seed = new byte[64];
        byte[] other = seed.clone();
        other[63] = 1;
        assertFalse(Arrays.equals(independentKeystream(seed, "a", 64), independentKeystream(seed, "b", 64)));
        try (Seed s1 = Seed.of(seed); Seed s2 = Seed.of(other); Prng p1 = new Prng(s1); Prng p2 = new Prng(s2)) {
            assertFalse(p1.stream("a").nextLong() == p2.stream("a").nextLong());
        }
    }
}
