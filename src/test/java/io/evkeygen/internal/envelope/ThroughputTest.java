package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Prints writer and reader speed on a default-size EvalKey (12.8 MB of key data). A report, not an
 * assertion: timings on a shared machine are too noisy to gate a build on.
 */
class ThroughputTest {

    @Test
    void reportThroughput() throws IOException {
        byte[] bin = new byte[12_845_335 + 130];
        new Random(1).nextBytes(bin);
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.EVALKEY, "test-key", Instant.parse("2026-01-01T00:00:00Z"),
                Requester.DEFAULT, EvalMode.RMP, Parameters.IP0, null);
        BinSource source = BinSource.ofBytes(bin);
        ByteArrayOutputStream json = new ByteArrayOutputStream(18 << 20);
        OutputStream discard = OutputStream.nullOutputStream();

        long bestWrite = Long.MAX_VALUE;
        long bestRead = Long.MAX_VALUE;
        for (int round = 0; round < 25; round++) {
            long t0 = System.nanoTime();
            EnvelopeWriter.write(h, source, discard);
            bestWrite = Math.min(bestWrite, System.nanoTime() - t0);
        }
        EnvelopeWriter.write(h, source, json);
        byte[] bytes = json.toByteArray();
        for (int round = 0; round < 25; round++) {
            long t0 = System.nanoTime();
            Envelope env = EnvelopeReader.read(new ByteArrayInputStream(bytes), KeyFileKind.EVALKEY, null);
            bestRead = Math.min(bestRead, System.nanoTime() - t0);
            assertEquals(bin.length, env.binLength());
        }
        System.out.printf("envelope throughput on %.1f MB of key data (%.1f MB JSON): write %.1f ms (%.0f MB/s), "
                        + "read+verify %.1f ms (%.0f MB/s)%n",
                bin.length / 1e6, bytes.length / 1e6, bestWrite / 1e6, bin.length / (bestWrite / 1e3),
                bestRead / 1e6, bin.length / (bestRead / 1e3));
    }
}
