package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyFileCaptureTest {
    /** 20 000 bytes in 100-byte writes: the first buffer (8 KiB) is outgrown at least once. */
    private static byte[] fill(KeyFileCapture capture, byte[][] buffers) {
        byte[] chunk = new byte[100];
        Arrays.fill(chunk, (byte) 0x5a);
        byte[] expected = new byte[20_000];
        Arrays.fill(expected, (byte) 0x5a);
        buffers[0] = capture.buffer();
        for (int i = 0; i < expected.length / chunk.length; i++) {
            capture.write(chunk, 0, chunk.length);
        }
        buffers[1] = capture.buffer();
        return expected;
    }

    @Test
    void aSecretFileLeavesNoCopyBehindButTheOneItHandsOver() {
        KeyFileCapture capture = new KeyFileCapture(true);
        byte[][] buffers = new byte[2][];
        byte[] expected = fill(capture, buffers);
        byte[] taken = capture.take();
        assertArrayEquals(expected, taken);
        assertArrayEquals(new byte[buffers[0].length], buffers[0], "the outgrown buffer");
        assertArrayEquals(new byte[buffers[1].length], buffers[1], "the last buffer");
        capture.wipe();
        assertArrayEquals(expected, taken, "the caller's copy is the caller's");
    }

    @Test
    void aPublicFileIsNotZeroed() {
        KeyFileCapture capture = new KeyFileCapture(false);
        byte[][] buffers = new byte[2][];
        byte[] expected = fill(capture, buffers);
        assertArrayEquals(expected, capture.take());
        assertEquals(0x5a, buffers[1][0]);
    }
}
