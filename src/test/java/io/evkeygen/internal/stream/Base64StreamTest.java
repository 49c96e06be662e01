package io.evkeygen.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast streaming encoder agrees with java.util.Base64 for every length and write pattern. */
class Base64StreamTest {

    private static String encode(byte[] data, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Base64Stream b64 = new Base64Stream(out);
        for (int off = 0; off < data.length; off += piece) {
            int n = Math.min(piece, data.length - off);
            if (n == 1) {
                b64.write(data[off]);
            } else {
                b64.write(data, off, n);
            }
        }
        b64.finish();
        assertEquals(data.length, b64.count());
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesJdkEncoder() throws IOException {
        Random rnd = new Random(7);
        for (int len = 0; len < 200; len++) {
            byte[] data = new byte[len];
            rnd.nextBytes(data);
            String expected = Base64.getEncoder().encodeToString(data);
            for (int piece : new int[] {1, 2, 3, 4, 5, 7, 64, 1000}) {
                assertEquals(expected, encode(data, piece), "length " + len + " piece " + piece);
            }
        }
    }

    @Test
    void javaEncoderMatchesJdkOnAndAroundItsJdkBlocks() {
        Random rnd = new Random(11);
        int block = JavaBase64Encoder.JDK_BLOCK;
        for (int len : new int[] {block - 3, block, block + 3, 3 * block + 300}) {
            byte[] data = new byte[len + 5];
            rnd.nextBytes(data);
            byte[] out = new byte[7 + len / 3 * 4];
            Base64Encoder.JAVA.encodeTriples(data, 5, len, out, 7);
            byte[] expected = Base64.getEncoder().encode(java.util.Arrays.copyOfRange(data, 5, 5 + len));
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected,
                    java.util.Arrays.copyOfRange(out, 7, out.length), "length " + len);
        }
    }

    @Test
    void crossesOutputBlocks() throws IOException {
        byte[] data = new byte[3 * (1 << 16) + 2];
        new Random(8).nextBytes(data);
        String expected = Base64.getEncoder().encodeToString(data);
        for (int piece : new int[] {1, 49151, 49152, 65536, data.length}) {
            assertEquals(expected, encode(data, piece), "piece " + piece);
        }
    }
}
