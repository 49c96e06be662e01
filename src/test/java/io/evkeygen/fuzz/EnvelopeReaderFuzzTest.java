package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.internal.codec.EnvelopeReader;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.testutil.FuzzExpectations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

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
        try {
            EnvelopeReader.read(new ByteArrayInputStream(data, 1, data.length - 1), expected, new ByteArrayOutputStream());
        } catch (Throwable t) {
            FuzzExpectations.expected(t);
        }
    }
}
