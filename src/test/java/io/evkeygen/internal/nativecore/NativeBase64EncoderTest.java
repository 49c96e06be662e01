package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native base64 gives the JDK's chars at every SIMD level, and byte-identical envelopes. */
class NativeBase64EncoderTest {

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeBackend.isAvailable(), "native library unavailable: " + NativeBackend.status().reason());
    }

    @AfterEach
    void resetCap() {
        if (NativeBackend.isAvailable()) {
            NativeBackend.setSimdCap(null);
        }
    }

    private static byte[] encode(Base64Encoder enc, byte[] in, int off, int len) {
        byte[] out = new byte[len / 3 * 4];
        enc.encodeTriples(in, off, len, out, 0);
        return out;
    }

    @Test
    void matchesTheJdkForManyLengthsAndOffsetsAtEveryLevel() {
        byte[] data = new byte[3 * 50_000 + 7];
        new Random(5).nextBytes(data);
        for (String level : NativeBackend.availableSimdLevels()) {
            NativeBackend.setSimdCap(level);
            for (int len = 0; len <= 3 * 70; len += 3) {
                for (int off : new int[] {0, 1, 5}) {
                    byte[] want = Base64.getEncoder().encode(Arrays.copyOfRange(data, off, off + len));
                    assertArrayEquals(want, encode(NativeBase64Encoder.INSTANCE, data, off, len), level + " " + len);
                }
            }
            int big = 3 * 50_000;  // several native chunks
            assertArrayEquals(Base64.getEncoder().encode(Arrays.copyOf(data, big)),
                    encode(NativeBase64Encoder.INSTANCE, data, 0, big), level + " " + big);
            assertArrayEquals(encode(Base64Encoder.JAVA, data, 2, big), encode(NativeBase64Encoder.INSTANCE, data, 2, big));
        }
    }

    @Test
    void envelopesAreByteIdenticalWithEitherEncoder() throws Exception {
        byte[] bin = new byte[1_000_001];
        new Random(9).nextBytes(bin);
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.EVALKEY, "k", Instant.parse("2026-11-28T00:00:00Z"),
                Requester.DEFAULT, EvalMode.RMP, Parameters.IP0, null);
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        ByteArrayOutputStream nat = new ByteArrayOutputStream();
        EnvelopeWriter.write(h, BinSource.ofBytes(bin), java, Base64Encoder.JAVA);
        EnvelopeWriter.write(h, BinSource.ofBytes(bin), nat, NativeBase64Encoder.INSTANCE);
        assertArrayEquals(java.toByteArray(), nat.toByteArray());
    }
}
