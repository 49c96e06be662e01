package io.evkeygen.internal.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Kek;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import io.evkeygen.testutil.SharedVectors;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seal and open (spec sections 10, 11): reference vector, round trips, and every way to fail. */
class SealingTest {
    static final byte[] VECTOR_KEK = SealTestKeys.kek(0);

    @TempDir
    Path tmp;

    private static Envelope read(Path file, KeyFileKind kind, ByteArrayOutputStream sink) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return EnvelopeReader.read(in, kind, sink);
        }
    }

    @Test
    void referenceSealedSecKeyOpensToTheUnsealedReferenceBytes() throws Exception {
        Path file = SharedVectors.vector("ip0-rmp-1024-sealed").resolve("SecKey.json");
        try (KekProvider p = KekProvider.aes(VECTOR_KEK)) {
            SecretFiles.Opened opened = SecretFiles.read(file, KeyFileKind.SECKEY, p);
            assertArrayEquals(SharedVectors.keyData("ip0-rmp-1024", "SecKey.json"), opened.plain());
        }
    }

    @Test
    void aStoresStreamOpensLikeTheFileAndIsReadOnlyUpToTheSecretFileBound() throws Exception {
        Path file = SharedVectors.vector("ip0-rmp-1024-sealed").resolve("SecKey.json");
        try (KekProvider p = KekProvider.aes(VECTOR_KEK); InputStream in = Files.newInputStream(file)) {
            SecretFiles.Opened opened = SecretFiles.read(in, KeyFileKind.SECKEY, p, env -> { });
            assertArrayEquals(SharedVectors.keyData("ip0-rmp-1024", "SecKey.json"), opened.plain());
        }
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) ' ');
                served[0] += len;
                return len;
            }
        };
        KeygenException e = assertThrows(KeygenException.class,
                () -> SecretFiles.read(endless, KeyFileKind.SECKEY, null, env -> { }));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals("SecKey.json is too large for a secret key file", e.getMessage());
        assertEquals(SecretFiles.MAX_SECRET_FILE, served[0]);
    }

    @Test
    void sealOpenRoundTripWithTheSpecLayout() {
        byte[] plain = new byte[1029];
        Arrays.fill(plain, (byte) 7);
        try (KekProvider p = KekProvider.aes(SealTestKeys.kek(1))) {
            Sealing.Sealed s = Sealing.seal(p, Parameters.IP0, "k", KeyFileKind.SECKEY, plain);
            assertEquals(1124, s.blob().length);
            assertEquals("AES-KEK", s.fields().alg());
            assertNull(s.fields().kms());
            assertArrayEquals(s.fields().iv(), Arrays.copyOfRange(s.blob(), 63, 75));
            assertArrayEquals(s.fields().tag(), Arrays.copyOfRange(s.blob(), 75, 91));
            assertArrayEquals(plain, AesKekSeal.open(Parameters.IP0, s.blob(), SealTestKeys.kek(1)));
            Sealing.Sealed meta = Sealing.seal(p, Parameters.IP0, "k", KeyFileKind.METADATAKEY, new byte[32]);
            assertEquals(127, meta.blob().length, "sealed MetadataKey is 127 bytes (spec section 11)");
        }
        assertThrows(IllegalArgumentException.class, () -> Sealing.seal(KekProvider.aes(SealTestKeys.kek(1)),
                Parameters.IP0, "k", KeyFileKind.ENCKEY, plain));
    }

    @Test
    void sealedGenerationWritesSealedSecretsOnlyAndLoadsWithTheKek() throws Exception {
        byte[] kek = SealTestKeys.kek(5);
        Path dir;
        try (KekProvider p = KekProvider.aes(kek)) {
            dir = SealTestKeys.generate(tmp, "s", p);
        }
        JsonNode sec = new ObjectMapper().readTree(dir.resolve("SecKey.json").toFile()).get("entries").get(0);
        assertEquals("AES-KEK", sec.get("alg").asText());
        assertEquals(1124, Base64.getDecoder().decode(sec.get("key_data").asText()).length);
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("MetadataKey.json").toFile()).get("entries").get(0);
        assertEquals(127, Base64.getDecoder().decode(meta.get("key_data").asText()).length);
        assertEquals("AES-KEK", meta.get("alg").asText());
        for (String pub : new String[] {"EncKey.json", "EvalKey.json"}) {
            assertFalse(new ObjectMapper().readTree(dir.resolve(pub).toFile()).get("entries").get(0).has("alg"), pub);
        }

        try (KekProvider p = KekProvider.aes(kek)) {
            VerificationReport r = KeySetVerifier.verify(dir, p);
            assertTrue(r.sealed());
            assertTrue(r.secretChecked());
            KeySet keys = KeySet.load(dir, p);
            try (SecretBytes sk = keys.secretKey(); SecretBytes mk = keys.metadataKey().orElseThrow()) {
                assertEquals(1029, sk.length());
                assertEquals(32, mk.length());
            }
        }
        VerificationReport without = KeySetVerifier.verify(dir);
        assertTrue(without.sealed());
        assertFalse(without.secretChecked());
        KeySet noKek = KeySet.load(dir);
        assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class, noKek::secretKey).kind());
    }

    @Test
    void ensureKeysCreatesThenLoadsASealedSet() throws Exception {
        try (KekProvider p = KekProvider.aes(SealTestKeys.kek(8))) {
            io.evkeygen.KeyGenerator g = io.evkeygen.KeyGenerator.builder().keyPath(tmp).keyId("e").dims(32)
                    .evalMode("mm").threads(2).seal(p).build();
            KeySet first = io.evkeygen.KeyManager.ensureKeys(g);
            assertTrue(first.sealed());
            try (SecretBytes sk = io.evkeygen.KeyManager.ensureKeys(g).secretKey()) {
                assertEquals(1029, sk.length());
            }
        }
    }

    @Test
    void wrongKekIsAnUnsealError() throws Exception {
        Path dir;
        try (KekProvider p = KekProvider.aes(SealTestKeys.kek(5))) {
            dir = SealTestKeys.generate(tmp, "w", p);
        }
        try (KekProvider wrong = KekProvider.aes(SealTestKeys.kek(6))) {
            KeygenException e = assertThrows(KeygenException.class, () -> KeySet.load(dir, wrong));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertTrue(e.getMessage().contains("wrong key-encryption key"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void shortKekIsAUsageError() throws Exception {
        assertEquals(KeygenException.Kind.USAGE,
                assertThrows(KeygenException.class, () -> KekProvider.aes(new byte[31])).kind());
        assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class,
                () -> Kek.read(new java.io.ByteArrayInputStream(new byte[31]), "stdin", w -> { })).kind());
        StringBuilder warned = new StringBuilder();
        byte[] longer = new byte[40];
        longer[31] = 9;
        longer[32] = 1;
        try (Kek k = Kek.read(new java.io.ByteArrayInputStream(longer), "stdin", warned::append)) {
            assertArrayEquals(Arrays.copyOf(longer, 32), k.secret().reveal());
        }
        assertTrue(warned.toString().contains("first 32"), warned.toString());
        assertEquals("Kek[redacted]", Kek.of(new byte[32]).toString());
    }

    /** The reference sealed blob with one byte flipped at {@code at} (or cut to {@code length}). */
    private static void refused(byte[] blob) {
        KeygenException e = assertThrows(KeygenException.class,
                () -> AesKekSeal.open(Parameters.IP0, blob, VECTOR_KEK));
        assertTrue(e.kind() == KeygenException.Kind.UNSEAL || e.kind() == KeygenException.Kind.INVALID_KEY,
                e.kind() + " " + e.getMessage());
    }

    @Test
    void flippedTagIvCiphertextAndTruncationAreRefused() throws Exception {
        byte[] blob = SharedVectors.keyData("ip0-rmp-1024-sealed", "SecKey.json");
        assertNotNull(AesKekSeal.open(Parameters.IP0, blob, VECTOR_KEK));
        for (int at : new int[] {63, 74, 75, 90, 95, 600, blob.length - 1}) { // iv, tag, ciphertext
            byte[] b = blob.clone();
            b[at] ^= 0x01;
            KeygenException e = assertThrows(KeygenException.class, () -> AesKekSeal.open(Parameters.IP0, b, VECTOR_KEK));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind(), "flip at " + at);
        }
        refused(Arrays.copyOf(blob, blob.length - 1));
        refused(Arrays.copyOf(blob, 90));
        refused(new byte[0]);
    }

    /** A tampered blob under a recomputed hash is still refused by the GCM tag, with exit code 6. */
    @Test
    void tamperedSealedFileWithValidHashIsAnUnsealError() throws Exception {
        Path src = SharedVectors.vector("ip0-rmp-1024-sealed").resolve("SecKey.json");
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        Envelope env = read(src, KeyFileKind.SECKEY, bin);
        byte[] blob = bin.toByteArray();
        blob[500] ^= 0x40;
        Path file = tmp.resolve("SecKey.json");
        try (var out = Files.newOutputStream(file)) {
            io.evkeygen.internal.envelope.EnvelopeWriter.write(env.header(), io.evkeygen.internal.stream.BinSource.ofBytes(blob), out);
        }
        try (KekProvider p = KekProvider.aes(VECTOR_KEK)) {
            KeygenException e = assertThrows(KeygenException.class, () -> SecretFiles.read(file, KeyFileKind.SECKEY, p));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
        }
    }
}
