package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.spi.SealFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Reading then rewriting every reference envelope reproduces it byte for byte. */
class VectorRoundTripTest {

    @TestFactory
    List<DynamicTest> everyVectorRewritesByteIdentically() throws IOException {
        List<Path> files = SharedVectors.envelopes();
        assertFalse(files.isEmpty(), "no envelopes under " + SharedVectors.dir());
        Path root = SharedVectors.dir();
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(root.relativize(f).toString(), () -> roundTrip(f)))
                .collect(Collectors.toList());
    }

    private static void roundTrip(Path file) throws IOException {
        byte[] original = Files.readAllBytes(file);
        KeyFileKind kind = SharedVectors.kindOf(file);
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        Envelope env;
        try (InputStream in = Files.newInputStream(file)) {
            env = EnvelopeReader.read(in, kind, bin);
        }
        assertEquals(kind, env.header().kind());
        assertEquals("test-key", env.header().kid());
        assertEquals(bin.size(), env.binLength());
        assertArrayEquals(Sha256.of(bin.toByteArray()), env.sha256());

        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(original.length);
        EnvelopeWriter.write(env.header(), BinSource.ofBytes(bin.toByteArray()), rewritten);
        assertArrayEquals(original, rewritten.toByteArray(), file + " is not reproduced byte for byte");
    }

    @Test
    void sealedSecKeyCarriesAlgIvAndTag() throws IOException {
        Path file = SharedVectors.file("ip0-rmp-1024-sealed", "SecKey.json");
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        Envelope env;
        try (InputStream in = Files.newInputStream(file)) {
            env = EnvelopeReader.read(in, KeyFileKind.SECKEY, bin);
        }
        SealFields seal = env.header().seal();
        assertNotNull(seal);
        assertEquals(SealFields.AES_KEK, seal.alg());
        assertEquals(12, seal.iv().length);
        assertEquals(16, seal.tag().length);
        assertEquals(1124, env.binLength());
        byte[] blob = bin.toByteArray();
        // the blob repeats iv and tag at offsets 63 and 75 (spec section 10)
        for (int i = 0; i < 12; i++) {
            assertEquals(seal.iv()[i], blob[63 + i]);
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(seal.tag()[i], blob[75 + i]);
        }
    }

    @Test
    void unsealedHeadersReadAsExpected() throws IOException {
        Path file = SharedVectors.file("ip0-rmp-1024", "EvalKey.json");
        Envelope env;
        try (InputStream in = Files.newInputStream(file)) {
            env = EnvelopeReader.read(in, KeyFileKind.EVALKEY, null);
        }
        EnvelopeHeader h = env.header();
        assertEquals(EvalMode.RMP, h.evalMode());
        assertEquals(Parameters.IP0, h.parameters());
        assertEquals(Requester.DEFAULT, h.requester());
        assertNull(h.seal());
        assertTrue(h.createdAt().isAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }

    /** IP1 envelopes resolve to the IP1 preset. */
    @Test
    void ip1EnvelopeReadsAsTheIp1Preset() throws IOException {
        Path file = SharedVectors.file("ip1-rmp-1024", "EncKey.json");
        try (InputStream in = Files.newInputStream(file)) {
            Envelope env = EnvelopeReader.read(in, KeyFileKind.ENCKEY, null);
            assertEquals(Presets.byName("ip1"), env.header().parameters());
        }
    }

    /** A custom set writes N and HAMMING_WEIGHT and reads back to equal parameters. */
    @Test
    void customParametersRoundTrip() throws IOException {
        Parameters custom = Parameters.custom(36028797014376449L, 2251799813554177L, 2048, 20.0, 22.5);
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.ENCKEY, "k", Instant.parse("2026-11-28T00:00:00Z"),
                Requester.DEFAULT, null, custom, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter.write(h, BinSource.ofBytes(new byte[] {1, 2, 3}), out);
        String json = out.toString(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(json.contains("\"parameter\":{\"DB_SCALE_FACTOR\":20.0,\"HAMMING_WEIGHT\":2048,\"N\":4096,"
                + "\"P\":2251799813554177,\"Q\":36028797014376449,\"QUERY_SCALE_FACTOR\":22.5,\"preset\":\"RUNTIME\"}"), json);
        Envelope env = EnvelopeReader.read(new ByteArrayInputStream(out.toByteArray()), KeyFileKind.ENCKEY, null);
        assertEquals(custom, env.header().parameters());
    }
}
