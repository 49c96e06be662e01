package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.testutil.FuzzExpectations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fuzzes the envelope reader (SecKey/EncKey/EvalKey/MetadataKey.json) with arbitrary bytes. Seeds:
 * src/test/resources/io/evkeygen/fuzz/EnvelopeReaderFuzzTestInputs/envelope/ (docs/FUZZING.md).
 */
class EnvelopeReaderFuzzTest {
    private static final KeyFileKind[] KINDS = KeyFileKind.values();

    /** The first byte picks the expected kind (or any), the rest is the file. */
    @FuzzTest(maxDuration = "30s")
    void envelope(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int pick = Byte.toUnsignedInt(data[0]) % (KINDS.length + 1);
        KeyFileKind expected = pick == KINDS.length ? null : KINDS[pick];
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        Envelope env;
        try {
            env = EnvelopeReader.read(new ByteArrayInputStream(data, 1, data.length - 1), expected, bin);
        } catch (Throwable t) {
            FuzzExpectations.expected(t);
            return;
        }
        // an accepted envelope describes exactly the key data it streamed out
        byte[] out = bin.toByteArray();
        if (env.binLength() != out.length || !Arrays.equals(env.sha256(), Sha256.of(out))) {
            throw new AssertionError("accepted envelope's length or hash differs from its key data");
        }
        if (expected != null && env.header().kind() != expected) {
            throw new AssertionError("accepted " + env.header().kind() + " where " + expected + " was expected");
        }
    }
}
