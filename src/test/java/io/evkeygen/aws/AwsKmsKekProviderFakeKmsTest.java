package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.ops.Resealer;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.SealFields;
import io.evkeygen.testutil.SealTestKeys;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/** The real AWS SDK v2 KMS client against {@link FakeKmsServer} (a fake KMS on loopback). */
class AwsKmsKekProviderFakeKmsTest {
    static final String ALIAS = "alias/evkeygen-test";

    @TempDir
    Path tmp;

    FakeKmsServer kms;
    KmsClient client;
    String arn;

    @BeforeEach
    void start() throws Exception {
        kms = new FakeKmsServer();
        arn = kms.createKey("1234abcd-12ab-34cd-56ef-1234567890ab", ALIAS);
        client = KmsClient.builder().endpointOverride(kms.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "fake-secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        kms.close();
    }

    private Path kmsSealedSet(String id) throws Exception {
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, ALIAS)) {
            return SealTestKeys.generate(tmp, id, p);
        }
    }

    @Test
    void sealsWithDataKeysAndStoresTheKmsField() throws Exception {
        Path dir = kmsSealedSet("k");
        assertEquals(2, kms.generateCalls.get(), "one data key per secret file");
        for (String file : new String[] {"SecKey.json", "MetadataKey.json"}) {
            JsonNode entry = new ObjectMapper().readTree(dir.resolve(file).toFile()).get("entries").get(0);
            assertEquals("AES-KEK", entry.get("alg").asText());
            JsonNode k = entry.get("kms");
            assertNotNull(k, file);
            assertEquals(arn, k.get("key_id").asText());
            assertFalse(k.get("encrypted_data_key").asText().isEmpty());
            assertEquals("k", k.get("encryption_context").get("evkeygen:kid").asText());
            assertEquals(file.equals("SecKey.json") ? "seckey" : "metadatakey",
                    k.get("encryption_context").get("evkeygen:file").asText());
        }
        // opening needs no key id: the file names it
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, null)) {
            assertTrue(KeySetVerifier.verify(dir, p).secretChecked());
            KeySet keys = KeySet.load(dir, p);
            try (SecretBytes sk = keys.secretKey()) {
                assertEquals(1029, sk.length());
            }
        }
        assertTrue(kms.decryptCalls.get() >= 2);
        assertFalse(KeySetVerifier.verify(dir).secretChecked(), "without KMS the rest still verifies");
    }

    /** The kms field is outside aad; reading and rewriting the envelope reproduces it byte for byte. */
    @Test
    void kmsFieldRoundTripsThroughTheCanonicalWriter() throws Exception {
        Path dir = kmsSealedSet("rt");
        byte[] original = Files.readAllBytes(dir.resolve("SecKey.json"));
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        Envelope env;
        try (InputStream in = Files.newInputStream(dir.resolve("SecKey.json"))) {
            env = EnvelopeReader.read(in, KeyFileKind.SECKEY, bin);
        }
        assertEquals(arn, env.header().seal().kms().keyId());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeWriter.write(env.header(), BinSource.ofBytes(bin.toByteArray()), out);
        assertArrayEquals(original, out.toByteArray());
        // without the field (a reader that does not know it) it is still a valid sealed envelope
        SealFields s = env.header().seal();
        var plain = new io.evkeygen.internal.envelope.EnvelopeHeader(KeyFileKind.SECKEY, "rt", env.header().createdAt(),
                env.header().requester(), null, env.header().parameters(), new SealFields(s.alg(), s.iv(), s.tag()));
        ByteArrayOutputStream stripped = new ByteArrayOutputStream();
        EnvelopeWriter.write(plain, BinSource.ofBytes(bin.toByteArray()), stripped);
        String json = stripped.toString(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(json.contains("\"kms\""));
        assertEquals(new ObjectMapper().readTree(original).get("aad"), new ObjectMapper().readTree(json).get("aad"));
    }

    @Test
    void fakeKmsChecksTheEncryptionContextOnDecrypt() throws Exception {
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, ALIAS)) {
            KekProvider.Grant g = p.grant("kid", KeyFileKind.SECKEY);
            g.kek().close();
            SdkBytes blob = SdkBytes.fromByteArray(g.kms().encryptedDataKey());
            assertThrows(InvalidCiphertextException.class, () -> client.decrypt(b -> b.ciphertextBlob(blob)
                    .encryptionContext(Map.of("evkeygen:kid", "other", "evkeygen:file", "seckey"))));
            // the data key of one file does not open another (the context differs)
            SealFields swapped = new SealFields("AES-KEK", new byte[12], new byte[16],
                    new io.evkeygen.spi.KmsFields(g.kms().keyId(), g.kms().encryptedDataKey(),
                            AwsKmsKekProvider.context("kid", KeyFileKind.METADATAKEY)));
            KeygenException e = assertThrows(KeygenException.class, () -> p.open("kid", KeyFileKind.METADATAKEY, swapped));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertTrue(e.getMessage().contains("refused to decrypt"), e.getMessage());
            // a stored context that does not match the file is refused before asking KMS
            assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class,
                    () -> p.open("kid", KeyFileKind.METADATAKEY, new SealFields("AES-KEK", new byte[12], new byte[16],
                            g.kms()))).kind());
        }
    }

    @Test
    void unknownKeyIsAStoreErrorNamingNotFound() throws Exception {
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, "alias/missing")) {
            KeygenException e = assertThrows(KeygenException.class, () -> SealTestKeys.generate(tmp, "nf", p));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("NotFoundException"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertFalse(Files.exists(tmp.resolve("nf")), "nothing written");
    }

    @Test
    void wrongKindsOfKekAreNamed() throws Exception {
        Path dir = kmsSealedSet("mix");
        try (KekProvider aes = KekProvider.aes(SealTestKeys.kek(1))) {
            KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir, aes));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertTrue(e.getMessage().contains("KMS"), e.getMessage());
            assertEquals(java.util.Optional.of(KeygenException.Setting.KMS_KEY), e.setting());
        }
        String other = kms.createKey("9999abcd-12ab-34cd-56ef-1234567890ab", null);
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, other)) {
            assertEquals(KeygenException.Kind.UNSEAL,
                    assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir, p)).kind());
        }
    }

    @Test
    void resealsFromKmsToAesAndBack() throws Exception {
        Path dir = kmsSealedSet("rs");
        byte[] enc = Files.readAllBytes(dir.resolve("EncKey.json"));
        try (AwsKmsKekProvider from = new AwsKmsKekProvider(client, null); KekProvider to = KekProvider.aes(SealTestKeys.kek(3))) {
            Resealer.reseal(dir, from, to);
        }
        try (KekProvider p = KekProvider.aes(SealTestKeys.kek(3))) {
            assertTrue(KeySetVerifier.verify(dir, p).secretChecked());
        }
        try (KekProvider from = KekProvider.aes(SealTestKeys.kek(3)); AwsKmsKekProvider to = new AwsKmsKekProvider(client, arn)) {
            Resealer.reseal(dir, from, to);
        }
        try (AwsKmsKekProvider p = new AwsKmsKekProvider(client, null)) {
            assertTrue(KeySetVerifier.verify(dir, p).secretChecked());
        }
        assertArrayEquals(enc, Files.readAllBytes(dir.resolve("EncKey.json")));
    }
}
