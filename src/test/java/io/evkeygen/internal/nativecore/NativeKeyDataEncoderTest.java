package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.internal.stream.ByteBufferOutput;
import io.evkeygen.internal.stream.InPlaceOutput;
import io.evkeygen.internal.stream.KeyDataEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native key data stream gives the JDK's base64 and SHA-256 at every SIMD level, however the bytes arrive. */
class NativeKeyDataEncoderTest {

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeBackend.isAvailable(), "native library unavailable: " + NativeBackend.status().reason());
    }

    @AfterEach
    void resetCap() {
        NativeBackend.setSimdCap(null);
    }

    @Test
    void textAndDigestEqualTheJdksAtEveryLevel() throws Exception {
        List<String> levels = NativeBackend.availableSimdLevels();
        for (String level : levels) {
            NativeBackend.setSimdCap(level);
            for (int size : new int[] {0, 1, 2, 3, 4, 100, (3 << 16) - 1, (3 << 16) + 1, 5 * (3 << 16) + 7}) {
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                byte[] digest;
                try (KeyDataEncoder enc = NativeKeyDataEncoder.FACTORY.open(text, size, true)) {
                    feed(enc, data);
                    assertEquals(size, enc.count());
                    digest = enc.finish();
                }
                String at = size + " bytes at " + level;
                assertEquals(Base64.getEncoder().encodeToString(data), text.toString("US-ASCII"), at);
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest, at);
            }
        }
    }

    @Test
    void javaAndNativeEncodersAgree() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        ByteArrayOutputStream nat = new ByteArrayOutputStream();
        byte[] javaDigest;
        byte[] nativeDigest;
        try (KeyDataEncoder enc = KeyDataEncoder.JAVA.open(java, data.length, true)) {
            feed(enc, data);
            javaDigest = enc.finish();
        }
        try (KeyDataEncoder enc = NativeKeyDataEncoder.FACTORY.open(nat, data.length, true)) {
            feed(enc, data);
            nativeDigest = enc.finish();
        }
        assertArrayEquals(java.toByteArray(), nat.toByteArray());
        assertArrayEquals(javaDigest, nativeDigest);
    }

    /** A key file takes buffers: the text goes there from native memory, never through a Java array. */
    @Test
    void textReachesABufferTakingStreamFromNativeMemory() throws Exception {
        byte[] data = new byte[3 << 17];
        new Random(5).nextBytes(data);
        BufferTaker text = new BufferTaker();
        try (KeyDataEncoder enc = NativeKeyDataEncoder.FACTORY.open(text, data.length + 1, false)) {
            ByteBuffer batch = ByteBuffer.allocateDirect(data.length).put(data).flip();
            enc.write(batch);
            enc.write(7);
            enc.finish();
        }
        assertEquals(0, text.arrayBytes, "no text through arrays");
        byte[] all = Arrays.copyOf(data, data.length + 1);
        all[data.length] = 7;
        assertEquals(Base64.getEncoder().encodeToString(all), text.bytes.toString("US-ASCII"));
    }

    private static final class BufferTaker extends OutputStream implements ByteBufferOutput {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long arrayBytes;

        @Override
        public void write(ByteBuffer src) {
            assertTrue(src.isDirect());
            byte[] b = new byte[src.remaining()];
            src.get(b);
            bytes.writeBytes(b);
        }

        @Override
        public void write(int b) {
            arrayBytes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            arrayBytes += len;
            bytes.write(b, off, len);
        }
    }

    /**
     * A file written with direct I/O lends its own buffer: the text is encoded into it in place, and
     * where it lends none (not yet, or too little room) the encoder writes as to any stream.
     */
    @Test
    void textIsEncodedInPlaceWhereTheStreamLendsABuffer() throws Exception {
        byte[] data = new byte[7 * (3 << 16) + 5];
        new Random(9).nextBytes(data);
        Lender text = new Lender();
        byte[] digest;
        try (KeyDataEncoder enc = NativeKeyDataEncoder.FACTORY.open(text, data.length, false)) {
            ByteBuffer batch = ByteBuffer.allocateDirect(data.length).put(data).flip();
            enc.write(batch);
            digest = enc.finish();
        }
        assertTrue(text.lent >= 3, "buffers lent: " + text.lent);
        assertTrue(text.refused >= 3, "claims refused: " + text.refused);
        assertEquals(Base64.getEncoder().encodeToString(data), text.bytes.toString("US-ASCII"));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest);
    }

    /** Lends a direct buffer on every other claim, with garbage around the region it lends. */
    private static final class Lender extends OutputStream implements ByteBufferOutput, InPlaceOutput {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int lent;
        int refused;
        private ByteBuffer claimed;
        private int claims;

        @Override
        public ByteBuffer claim(int min) {
            assertTrue(claimed == null, "claimed twice without a commit");
            if (claims++ % 2 == 0) {
                refused++;
                return null;
            }
            ByteBuffer b = ByteBuffer.allocateDirect(min + 64);
            while (b.hasRemaining()) {
                b.put((byte) '!');
            }
            claimed = b.position(17).limit(17 + min + 3);
            lent++;
            return claimed;
        }

        @Override
        public void commit(int n) {
            assertTrue(n <= claimed.remaining());
            byte[] b = new byte[n];
            claimed.get(claimed.position(), b);
            bytes.writeBytes(b);
            claimed = null;
        }

        @Override
        public void write(ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            bytes.writeBytes(b);
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }
    }

    @Test
    void aFinishedOrClosedEncoderRefusesMore() throws IOException {
        KeyDataEncoder enc = NativeKeyDataEncoder.FACTORY.open(new ByteArrayOutputStream(), 10, false);
        enc.write(1);
        enc.finish();
        assertThrows(IllegalStateException.class, () -> enc.write(2));
        enc.close();
        enc.close();
        assertThrows(IllegalStateException.class, enc::finish);
    }

    /** The ways an engine writes: a header byte, small arrays, direct buffers (native batches) at an offset, a heap buffer. */
    private static void feed(KeyDataEncoder enc, byte[] data) throws IOException {
        int at = 0;
        if (data.length > 0) {
            enc.write(data[at++]);
        }
        int small = Math.min(data.length - at, 13);
        enc.write(data, at, small);
        at += small;
        int direct = (data.length - at) / 2;
        ByteBuffer buf = ByteBuffer.allocateDirect(direct + 5);
        buf.position(5);
        buf.put(data, at, direct).position(5);
        enc.write(buf);
        assertEquals(buf.limit(), buf.position(), "the direct buffer is consumed");
        at += direct;
        enc.write(ByteBuffer.wrap(data, at, data.length - at));
    }
}
