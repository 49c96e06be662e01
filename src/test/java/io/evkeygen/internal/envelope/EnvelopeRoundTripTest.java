package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.SealFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Writer output read back, for cases the reference vectors do not cover. */
class EnvelopeRoundTripTest {
    private static final Instant T = Instant.parse("2026-11-28T12:54:43.987654321Z");

    private static byte[] write(EnvelopeHeader h, byte[] bin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter.write(h, BinSource.ofBytes(bin), out);
        return out.toByteArray();
    }

    private static Envelope read(byte[] json, KeyFileKind kind, ByteArrayOutputStream sink) throws IOException {
        return EnvelopeReader.read(new ByteArrayInputStream(json), kind, sink);
    }

    @Test
    void metadataKeyFollowsSection11() throws IOException {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.METADATAKEY, "test-key", T, Requester.DEFAULT, null,
                Parameters.IP0, null);
        byte[] json = write(h, key);
        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals("metadatakey", tree.get("format").asText());
        assertEquals("metadata", tree.get("usage").asText());
        JsonNode entry = tree.get("entries").get(0);
        assertEquals("metadatakey", entry.get("name").asText());
        assertEquals("metadata encryption key", entry.get("role").asText());
        assertEquals("", entry.at("/metadata/eval_mode").asText());
        assertArrayEquals(key, entry.get("key_data").binaryValue());
        assertEquals(EnvelopeFields.integrityValue("test-key", KeyFileKind.METADATAKEY),
                tree.at("/integrity/value").asText());
        assertEquals(Sha256.base64OfAscii("test-key:metadata:integrity"), tree.at("/integrity/value").asText());
        assertEquals("2026-11-28T12:54:43Z", tree.get("created_at").asText());
        assertEquals("2031-11-27T12:54:43Z", tree.get("expires_at").asText());

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Envelope env = read(json, KeyFileKind.METADATAKEY, sink);
        assertArrayEquals(key, sink.toByteArray());
        assertEquals(Instant.parse("2026-11-28T12:54:43Z"), env.header().createdAt());
    }

    @Test
    void sealedMetadataKeyRoundTrips() throws IOException {
        byte[] blob = new byte[127];
        blob[0] = '{';
        SealFields seal = new SealFields(SealFields.AES_KEK, new byte[12], new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.METADATAKEY, "k", T, Requester.DEFAULT, null,
                Parameters.IP0, seal);
        byte[] json = write(h, blob);
        String text = new String(json, StandardCharsets.US_ASCII);
        assertTrue(text.contains("{\"alg\":\"AES-KEK\",\"hash\":"), text);
        assertTrue(text.contains("\"iv\":\"AAAAAAAAAAAAAAAA\",\"key_data\":"), text);
        assertTrue(text.contains("\"role\":\"metadata encryption key\",\"tag\":\"AQIDBAUGBwgJCgsMDQ4PEA==\"}]"), text);
        Envelope env = read(json, null, null);
        assertEquals(127, env.binLength());
        assertArrayEquals(seal.tag(), env.header().seal().tag());
        assertArrayEquals(json, write(env.header(), blob));
    }

    @Test
    void unicodeKidAndRequesterSurvive() throws IOException {
        Requester r = new Requester("ü\"ser\"@tenant\n😀", "type\\x", "\u0001");
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.EVALKEY, "키-😀-\"q\"", T, r, EvalMode.MM, Parameters.IP0, null);
        byte[] json = write(h, new byte[] {0});
        for (byte b : json) {
            assertTrue(b >= 0x20 && b < 0x7f, "output must be printable ASCII");
        }
        assertTrue(new String(json, StandardCharsets.US_ASCII).contains(
                "\"kid\":\"\\ud0a4-\\ud83d\\ude00-\\\"q\\\"\""));
        Envelope env = read(json, KeyFileKind.EVALKEY, null);
        assertEquals(h.kid(), env.header().kid());
        assertEquals(r, env.header().requester());
        assertEquals(1, env.binLength());
        assertArrayEquals(json, write(env.header(), new byte[] {0}));
    }

    @Test
    void emptyKeyDataRoundTrips() throws IOException {
        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.ENCKEY, "e", T, Requester.DEFAULT, null, Parameters.IP0, null);
        byte[] json = write(h, new byte[0]);
        assertTrue(new String(json, StandardCharsets.US_ASCII).contains("\"key_data\":\"\""));
        assertEquals(0, read(json, KeyFileKind.ENCKEY, null).binLength());
    }

    @Test
    void writerRefusesSealedPublicKeysAndLyingSources() {
        EnvelopeHeader sealedEnc = new EnvelopeHeader(KeyFileKind.ENCKEY, "e", T, Requester.DEFAULT, null,
                Parameters.IP0, new SealFields(SealFields.AES_KEK, new byte[12], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> write(sealedEnc, new byte[3]));
        EnvelopeHeader evalWithoutMode = new EnvelopeHeader(KeyFileKind.EVALKEY, "e", T, Requester.DEFAULT, null,
                Parameters.IP0, null);
        assertThrows(IllegalArgumentException.class, () -> write(evalWithoutMode, new byte[1]));

        EnvelopeHeader h = new EnvelopeHeader(KeyFileKind.ENCKEY, "e", T, Requester.DEFAULT, null, Parameters.IP0, null);
        BinSource liar = new BinSource() {
            @Override
            public long length() {
                return 10;
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                out.write(new byte[9]);
            }
        };
        assertThrows(IllegalStateException.class, () -> EnvelopeWriter.write(h, liar, new ByteArrayOutputStream()));
    }
}
