package io.evkeygen.internal.score;

import static io.evkeygen.testutil.ScoreCiphertexts.size;
import static io.evkeygen.testutil.ScoreCiphertexts.withHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.params.Parameters;
import io.evkeygen.testutil.ScoreCiphertexts;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every malformed {@code EVCiphertext.data} is a USAGE error naming its problem, before any word is read. */
class ScoreCiphertextTest {
    private static final Parameters IP0 = Parameters.IP0;
    private static final int L0 = size(0, 1);   // 65,569 bytes: one block at level 0
    private static final int L1 = size(1, 1);   // 131,105

    private static void refused(byte[] data, String message) {
        refused(() -> ScoreCiphertext.parse(0, data), message);
    }

    private static void refused(Runnable r, String message) {
        KeygenException e = assertThrows(KeygenException.class, r::run);
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void sizesAreThoseOfTheSpec() {
        assertEquals(65_569, L0);
        assertEquals(131_105, L1);
    }

    @Test
    void aWellFormedHeaderParsesAndTrailingBytesAreIgnored() {
        ScoreCiphertext ct = ScoreCiphertext.parse(3, withHeader(L1 + 100, 0, 1, 4096, 1, 4096));
        assertEquals(new ScoreCiphertext(3, 1, 4096, 1, 1), ct);
        assertEquals(2, ScoreCiphertext.parse(0, withHeader(size(0, 2), 0, 0, 4097, 64, 4096)).blocks());
    }

    @Test
    void wrongTag() {
        refused(withHeader(L0, 1, 0, 4096, 1, 4096), "score ciphertext 0: tag 1 is not 0 (an inner-product result)");
        refused(withHeader(L0, 255, 0, 4096, 1, 4096), "score ciphertext 0: tag 255 is not 0 (an inner-product result)");
    }

    @Test
    void shorterThanTheHeader() {
        refused(new byte[0], "score ciphertext 0: 0 bytes, shorter than the 33-byte header");
        refused(new byte[32], "score ciphertext 0: 32 bytes, shorter than the 33-byte header");
        refused(() -> ScoreCiphertext.parse(5, null), "score ciphertext 5: 0 bytes, shorter than the 33-byte header");
    }

    @Test
    void levelOtherThan0Or1() {
        refused(withHeader(L1, 0, 2, 4096, 1, 4096), "score ciphertext 0: level 2 is not 0 or 1");
        refused(withHeader(L1, 0, -1, 4096, 1, 4096), "score ciphertext 0: level -1 is not 0 or 1");
    }

    @Test
    void degreeOtherThan4096() {
        refused(withHeader(L0, 0, 0, 4096, 1, 0),
                "score ciphertext 0: degree 0 is not 4096 (the only degree whose item order is known)");
        refused(withHeader(L0, 0, 0, 4096, 1, 8192),
                "score ciphertext 0: degree 8192 is not 4096 (the only degree whose item order is known)");
        refused(withHeader(L0, 0, 0, 4096, 1, -1), "score ciphertext 0: degree 18446744073709551615 is not 4096"
                + " (the only degree whose item order is known)");
    }

    @Test
    void noScores() {
        refused(withHeader(L0, 0, 0, 0, 1, 4096), "score ciphertext 0: n is 0: no scores");
    }

    @Test
    void aTruncatedLimb() {
        // level 1 needs the P limbs too: one block of level 0 holds none of level 1
        refused(withHeader(L0, 0, 1, 4096, 1, 4096), "score ciphertext 0: n = 4096 items need 1 block(s) of 131072"
                + " bytes at level 1, but the 65569 bytes hold 0: truncated or inconsistent");
        refused(withHeader(L0 - 1, 0, 0, 1, 1, 4096), "score ciphertext 0: n = 1 items need 1 block(s) of 65536"
                + " bytes at level 0, but the 65568 bytes hold 0: truncated or inconsistent");
    }

    @Test
    void nInconsistentWithTheBlocks() {
        refused(withHeader(L0, 0, 0, 4097, 1, 4096), "score ciphertext 0: n = 4097 items need 2 block(s) of 65536"
                + " bytes at level 0, but the 65569 bytes hold 1: truncated or inconsistent");
        refused(withHeader(size(0, 2) - 8, 0, 0, 5000, 1, 4096), "score ciphertext 0: n = 5000 items need 2 block(s)"
                + " of 65536 bytes at level 0, but the 131097 bytes hold 1: truncated or inconsistent");
    }

    @Test
    void nBeyondAnyData() {
        refused(withHeader(L0, 0, 0, -1, 1, 4096), "score ciphertext 0: n = 18446744073709551615 items need"
                + " 4503599627370496 block(s) of 65536 bytes at level 0, but the 65569 bytes hold 1: truncated or inconsistent");
        refused(withHeader(L0, 0, 0, Long.MAX_VALUE, 1, 4096), "score ciphertext 0: n = 9223372036854775807 items need"
                + " 2251799813685248 block(s) of 65536 bytes at level 0, but the 65569 bytes hold 1: truncated or inconsistent");
    }

    @Test
    void unreducedWordsAreRefusedNamingTheirPlace() {
        try (ScoreDecoder decoder = new ScoreDecoder(IP0, randomSecKey(new Random(1)))) {
            byte[] a = withHeader(L0, 0, 0, 4096, 1, 4096);
            ScoreCiphertexts.putWord(a, 0, 1, 5, IP0.q());
            refused(() -> decoder.decode(ScoreCiphertext.parse(0, a), a, 32, 0x1p48),
                    "score ciphertext 0: word 5 of block 0 of a mod Q is not below Q (not reduced)");
            byte[] b = withHeader(size(0, 2), 0, 0, 5000, 1, 4096);
            ScoreCiphertexts.putWord(b, 1, 2, 4096 + 7, -1L); // 2^64 - 1: unsigned, never a negative residue
            refused(() -> decoder.decode(ScoreCiphertext.parse(2, b), b, 32, 0x1p48),
                    "score ciphertext 2: word 7 of block 1 of b mod Q is not below Q (not reduced)");
            byte[] c = withHeader(L1, 0, 1, 4096, 1, 4096);
            ScoreCiphertexts.putWord(c, 3, 1, 4095, IP0.p());
            refused(() -> decoder.decode(ScoreCiphertext.parse(0, c), c, 32, 0x1p48),
                    "score ciphertext 0: word 4095 of block 0 of b mod P is not below P (not reduced)");
            ScoreCiphertexts.putWord(c, 3, 1, 4095, IP0.p() - 1); // the largest reduced word passes
            assertEquals(4096, decoder.decode(ScoreCiphertext.parse(0, c), c, 32, 0x1p48).length);
        }
    }

    @Test
    void padRankAndScaleAreChecked() {
        try (ScoreDecoder decoder = new ScoreDecoder(IP0, randomSecKey(new Random(2)))) {
            byte[] a = withHeader(L0, 0, 0, 4096, 1, 4096);
            ScoreCiphertext ct = ScoreCiphertext.parse(0, a);
            refused(() -> decoder.decode(ct, a, 48, 1), "score ciphertext 0: pad rank 48 is not a power of two from 32 to 4096");
            refused(() -> decoder.decode(ct, a, 8192, 1), "score ciphertext 0: pad rank 8192 is not a power of two from 32 to 4096");
            refused(() -> decoder.decode(ct, a, 32, 0), "score ciphertext 0: scale 0.0 is not a positive finite number");
            refused(() -> decoder.decode(ct, a, 32, Double.NaN), "score ciphertext 0: scale NaN is not a positive finite number");
            refused(() -> decoder.decode(ct, a, 32, Double.POSITIVE_INFINITY),
                    "score ciphertext 0: scale Infinity is not a positive finite number");
        }
    }

    @Test
    void aClosedDecoderRefuses() {
        ScoreDecoder decoder = new ScoreDecoder(IP0, randomSecKey(new Random(3)));
        byte[] a = withHeader(L0, 0, 0, 4096, 1, 4096);
        decoder.decode(ScoreCiphertext.parse(0, a), a, 32, 1);
        decoder.close();
        assertThrows(IllegalStateException.class, () -> decoder.decode(ScoreCiphertext.parse(0, a), a, 32, 1));
    }

    /** A SecKey.bin of a random ternary secret of the preset's weight. */
    static byte[] randomSecKey(Random rnd) {
        byte[] s = new byte[IP0.n()];
        int placed = 0;
        while (placed < IP0.hammingWeight()) {
            int i = rnd.nextInt(s.length);
            if (s[i] == 0) {
                s[i] = (byte) (rnd.nextBoolean() ? 1 : -1);
                placed++;
            }
        }
        return SecKeyBin.encode(IP0, s);
    }
}
