package io.evkeygen.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.TestSupport;
import io.evkeygen.internal.engine.FakeKeyEngine;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySetGeneratorTest {
    @TempDir
    Path root;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:54:43.987Z"), ZoneOffset.UTC);

    private static KeySetRequest request(FakeKeyEngine engine, EvalMode mode, boolean metadata) {
        return new KeySetRequest(Parameters.IP0, mode, List.of(1024, 32), "demo", metadata, () -> engine, 2,
                Requester.DEFAULT, CLOCK, null, null);
    }

    @Test
    void seedIsZeroedAndSessionClosedEvenWhenWritingFails() {
        // Runs before and after the codec lands: with the stub the first envelope write fails.
        FakeKeyEngine engine = new FakeKeyEngine(0);
        byte[] material = new byte[64];
        Arrays.fill(material, (byte) 7);
        Seed seed = Seed.of(material);
        byte[] raw = seed.secret().reveal(); // the generator closes the seed: its bytes must end up zero
        assertThrows(Exception.class, () -> new LocalKeyStore(root).save("demo",
                sink -> KeySetGenerator.generate(request(engine, EvalMode.RMP, true), seed, sink)));
        assertEquals(0, IntStream.range(0, 64).map(i -> raw[i]).sum());
        assertEquals(engine.opened.get(), engine.closed.get());
        assertFalse(Files.exists(root.resolve("demo")));
    }

    @Test
    void writesFourEnvelopesWithTheRightHeaders() throws IOException {
        LocalKeyStore store = new LocalKeyStore(root);
        store.save("demo", sink -> KeySetGenerator.generate(request(new FakeKeyEngine(), EvalMode.RMP, true),
                Seed.of(new byte[64]), sink));
        assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"),
                TestSupport.list(root.resolve("demo")));
        for (KeyFileKind kind : KeyFileKind.values()) {
            try (InputStream in = store.open("demo", kind)) {
                var header = EnvelopeReader.read(in, kind, null).header();
                assertEquals("demo", header.kid());
                assertEquals(Instant.parse("2026-11-28T12:54:43Z"), header.createdAt());
                assertEquals(kind == KeyFileKind.EVALKEY ? EvalMode.RMP : null, header.evalMode());
            }
        }
    }

    @Test
    void metadataEncryptionOffWritesThreeFiles() throws IOException {
        new LocalKeyStore(root).save("demo", sink -> KeySetGenerator.generate(
                request(new FakeKeyEngine(), EvalMode.MM, false), null, sink));
        assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(root.resolve("demo")));
    }

    @Test
    void engineFailureInEvalKeyLeavesNoTargetAndNoStaging() {
        FakeKeyEngine engine = new FakeKeyEngine(100_000);
        IOException e = assertThrows(IOException.class, () -> new LocalKeyStore(root).save("demo",
                sink -> KeySetGenerator.generate(request(engine, EvalMode.RMP, true), null, sink)));
        assertEquals("simulated engine failure", e.getMessage());
        assertEquals(List.of(), assertList(root));
        assertEquals(1, engine.closed.get());
    }

    private static List<String> assertList(Path p) {
        try {
            return TestSupport.list(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
