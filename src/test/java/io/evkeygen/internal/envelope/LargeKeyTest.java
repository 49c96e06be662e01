package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 30 MB key streamed through writer and reader: its base64 (40 M chars) is twice Jackson's
 * default maximum string length, so this fails if key_data is ever read as one String.
 */
class LargeKeyTest {

    /** Bytes computed from their offset, written in uneven pieces the way a key engine would. */
    static final class GeneratedSource implements BinSource {
        private final long length;

        GeneratedSource(long length) {
            this.length = length;
        }

        static byte at(long i) {
            long x = i * 0x9E3779B97F4A7C15L;
            x ^= x >>> 29;
            return (byte) (x * 0xBF58476D1CE4E5B9L >>> 56);
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            byte[] chunk = new byte[8192];
            long i = 0;
            int piece = 0;
            while (i < length) {
                // alternate single bytes, a u64 and larger blocks
                int n = (int) Math.min(length - i, switch (piece++ % 3) { case 0 -> 1; case 1 -> 8; default -> 8000; });
                for (int k = 0; k < n; k++) {
                    chunk[k] = at(i + k);
                }
                if (n == 1) {
                    out.write(chunk[0]);
                } else {
                    out.write(chunk, 0, n);
                }
                i += n;
            }
        }
    }

    @Test
    void thirtyMegabyteKeyRoundTripsStreaming(@TempDir Path dir) throws IOException {
        long length = 30_000_001L;
        GeneratedSource source = new GeneratedSource(length);
        Sha256.DigestSink expected = new Sha256.DigestSink();
        source.writeTo(expected);
        byte[] expectedHash = expected.digest();

        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.EVALKEY, "big", Instant.parse("2026-01-02T03:04:05Z"),
                Requester.DEFAULT, EvalMode.FLAT, Parameters.IP0, null);
        Path file = dir.resolve("EvalKey.json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            EnvelopeWriter.write(h, source, out);
        }
        long base64Chars = (length + 2) / 3 * 4;
        assertTrue(base64Chars > 20_000_000L, "must exceed Jackson's default max string length");
        assertTrue(Files.size(file) > base64Chars);

        // the sink checks every byte against the generator instead of collecting them
        OutputStream checker = new OutputStream() {
            long pos;

            @Override
            public void write(int b) {
                assertEquals(GeneratedSource.at(pos), (byte) b, "byte " + pos);
                pos++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                for (int k = 0; k < len; k++) {
                    if (b[off + k] != GeneratedSource.at(pos)) {
                        assertEquals(GeneratedSource.at(pos), b[off + k], "byte " + pos);
                    }
                    pos++;
                }
            }
        };
        Envelope env;
        try (InputStream in = Files.newInputStream(file)) {
            env = EnvelopeReader.read(in, KeyFileKind.EVALKEY, checker);
        }
        assertEquals(length, env.binLength());
        assertArrayEquals(expectedHash, env.sha256());
        assertEquals(h, env.header());
    }
}
