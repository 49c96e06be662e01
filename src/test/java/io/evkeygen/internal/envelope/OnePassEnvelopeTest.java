package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.ChunkPipeline;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-pass writer (placeholder hash, patched at the end) writes exactly the two-pass envelope. */
class OnePassEnvelopeTest {

    /** An in-memory file that can be patched, like the key directory's files. */
    static final class PatchableBytes extends ByteArrayOutputStream {
        void patch(long position, byte[] bytes) {
            System.arraycopy(bytes, 0, buf, (int) position, bytes.length);
        }
    }

    static EnvelopeHeader header() {
        return new EnvelopeHeader(KeyFileKind.EVALKEY, "kid-1", Instant.parse("2026-12-02T10:00:00Z"),
                Requester.DEFAULT, EvalMode.RMP, Parameters.IP0, null, null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void onePassEqualsTwoPass(boolean parallel) throws Exception {
        for (int size : new int[] {0, 1, 2, 3, 100, ChunkPipeline.CHUNK - 1, 3 * ChunkPipeline.CHUNK + 5}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            ByteArrayOutputStream twoPass = new ByteArrayOutputStream();
            EnvelopeWriter.write(header(), BinSource.ofBytes(data), twoPass, Base64Encoder.JAVA);

            PatchableBytes onePass = new PatchableBytes();
            EnvelopeWriter.writeOnePass(header(), size, out -> {
                for (int off = 0; off < size; off += 1000) {
                    out.write(data, off, Math.min(1000, size - off));
                }
            }, onePass, onePass::patch, KeyDataEncoder.JAVA, parallel);
            assertArrayEquals(twoPass.toByteArray(), onePass.toByteArray(), size + " bytes");
        }
    }

    /** For a target that cannot be patched: the text is kept until the hash is known, then framed. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void keptTextFramedEqualsTwoPass(boolean parallel) throws Exception {
        for (int size : new int[] {0, 1, 2, 3, 100, ChunkPipeline.CHUNK + 1}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            ByteArrayOutputStream twoPass = new ByteArrayOutputStream();
            EnvelopeWriter.write(header(), BinSource.ofBytes(data), twoPass, Base64Encoder.JAVA);

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            byte[] sha256 = EnvelopeWriter.encode(size, out -> out.write(data), text, KeyDataEncoder.JAVA, parallel);
            assertEquals(KeyDataEncoder.textLength(size), text.size());
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            EnvelopeWriter.writeEncoded(header(), sha256, BinSource.ofBytes(text.toByteArray()), framed);
            assertArrayEquals(twoPass.toByteArray(), framed.toByteArray(), size + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aProducerThatWritesTheWrongLengthIsAnEngineBug(boolean parallel) {
        PatchableBytes out = new PatchableBytes();
        assertThrows(KeygenException.class, () -> EnvelopeWriter.writeOnePass(header(), 10,
                o -> o.write(new byte[9]), out, out::patch, KeyDataEncoder.JAVA, parallel));
    }
}
