package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.ops.KeyTransfer;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.testutil.SealTestKeys;
import io.evkeygen.testutil.SecretReplaceChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The AWS key store against S3Proxy (a real S3 server) and a fake Secrets Manager, through the real SDK clients. */
class AwsKeyStoreTest {
    private static final String SEED = "0123456789abcdef".repeat(8);

    @TempDir
    Path tmp;

    private AwsTestServers servers;
    private String bucket;
    private AwsKeyStore store;

    @BeforeEach
    void start() throws Exception {
        servers = AwsTestServers.get();
        servers.secrets().clear();
        bucket = servers.newBucket();
        store = new AwsKeyStore(servers.config(bucket));
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private KeyGenerator generator(String keyId) {
        return KeyGenerator.builder().keyPath(tmp.resolve("keys")).keyId(keyId).dims(32).threads(2)
                .seed(io.evkeygen.secret.Seed.fromHex(SEED)).build();
    }

    private List<String> objectKeys() {
        try (S3Client s3 = servers.s3()) {
            return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    @Test
    void uploadThenLoadAndVerifyWithPythonSdkNames() throws IOException {
        String where = generator("demo").generateKeys(store);
        assertTrue(where.contains("s3://" + bucket + "/envector/keys/demo/"), where);
        assertEquals(List.of("envector/keys/demo/enc_blob.json", "envector/keys/demo/eval_blob.json"), objectKeys());
        assertEquals(List.of("envector/keys/demo/metadata_blob", "envector/keys/demo/sec_blob"),
                List.copyOf(servers.secrets().liveSecrets().keySet()));
        assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("demo"));
        assertTrue(store.exists("demo"));

        // the same bytes as a local generation from the same seed (same created_at second aside: compare after load)
        KeySet keys = KeySet.load(store, "demo", tmp.resolve("downloaded"));
        assertEquals("demo", keys.keyId());
        assertEquals(List.of(32), keys.dims());
        assertTrue(keys.hasMetadataKey());
        try (InputStream in = store.open("demo", KeyFileKind.SECKEY)) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("downloaded/demo/SecKey.json")), in.readAllBytes());
        }
        // upload order: EvalKey, EncKey, MetadataKey, SecKey (secrets calls show the last two)
        List<String> creates = servers.secrets().calls().stream().filter(c -> c.startsWith("CreateSecret")).toList();
        assertEquals(List.of("CreateSecret envector/keys/demo/metadata_blob", "CreateSecret envector/keys/demo/sec_blob"),
                creates);
    }

    @Test
    void customPrefixAndSubsetDownload() throws IOException {
        try (AwsKeyStore custom = new AwsKeyStore(servers.config(bucket).withPrefix("/team/a/"))) {
            generator("k1").generateKeys(custom);
            assertEquals(List.of("team/a/k1/enc_blob.json", "team/a/k1/eval_blob.json"), objectKeys());
            Path dir = KeyTransfer.download(custom, "k1", EnumSet.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY),
                    new LocalKeyStore(tmp.resolve("pub")), "k1");
            assertEquals(List.of("EncKey.json", "EvalKey.json"), io.evkeygen.TestSupport.list(dir));
            assertEquals(List.of("k1"), custom.list());
            assertEquals(List.of(), store.list(), "default prefix sees nothing");
        }
    }

    @Test
    void refusesAnExistingKeyIdBeforeGenerating() throws IOException {
        generator("taken").generateKeys(store);
        AtomicBoolean generated = new AtomicBoolean();
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("taken", sink -> generated.set(true)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertFalse(generated.get(), "nothing generated");
        // a partial leftover (only EvalKey) is refused as well
        try (S3Client s3 = servers.s3()) {
            s3.putObject(r -> r.bucket(bucket).key("envector/keys/partial/eval_blob.json"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));
        }
        e = assertThrows(KeygenException.class, () -> store.save("partial", sink -> generated.set(true)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertTrue(e.getMessage().contains("EvalKey.json"), e.getMessage());
        assertFalse(store.exists("partial"));
        assertFalse(generated.get());
    }

    @Test
    void failedUploadRollsBackAndNamesThePart() throws IOException {
        // Secrets Manager calls of a save: 2 DescribeSecret (existence), CreateSecret metadata, CreateSecret sec
        servers.secrets().failCall(4, "AccessDeniedException", 400);
        KeygenException e = assertThrows(KeygenException.class, () -> generator("half").generateKeys(store));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        String msg = e.getMessage();
        assertTrue(msg.contains("SecKey.json") && msg.contains("envector/keys/half/sec_blob"), msg);
        assertTrue(msg.contains("AccessDeniedException"), msg);
        assertTrue(msg.contains("rolled back EvalKey.json, EncKey.json, MetadataKey.json"), msg);
        assertEquals(List.of(), objectKeys());
        assertEquals(Map.of(), servers.secrets().liveSecrets());
        assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("half"));
        // the name is free again (force-deleted, not pending deletion): the retry succeeds
        generator("half").generateKeys(store);
        assertTrue(store.exists("half"));
    }

    @Test
    void thirdSecretsCallFailing() throws IOException {
        servers.secrets().failCalls(3, 10, "ThrottlingException", 400); // outlasts the SDK's retries
        KeygenException e = assertThrows(KeygenException.class, () -> generator("t").generateKeys(store));
        assertTrue(e.getMessage().contains("MetadataKey.json") && e.getMessage().contains("ThrottlingException"),
                e.getMessage());
        assertEquals(List.of(), objectKeys());
        assertEquals(Map.of(), servers.secrets().liveSecrets());
    }

    @Test
    void missingBucketIsOneLineWithTheAwsCode() {
        try (AwsKeyStore nowhere = new AwsKeyStore(servers.config("no-such-bucket-here"))) {
            KeygenException e = assertThrows(KeygenException.class, () -> generator("x").generateKeys(nowhere));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(Map.of(), servers.secrets().liveSecrets());
        }
    }

    @Test
    void wrongCredentialsAreAccessErrors() {
        AwsStoreConfig bad = servers.config(bucket).withCredentials(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDWRONG", "wrong")));
        try (AwsKeyStore denied = new AwsKeyStore(bad)) {
            KeygenException e = assertThrows(KeygenException.class, () -> denied.parts("x"));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        }
    }

    @Test
    void deleteRemovesEveryPartAndToleratesMissingOnes() throws IOException {
        generator("gone").generateKeys(store);
        generator("kept").generateKeys(store);
        assertEquals(List.of("gone", "kept"), store.list());
        store.delete("gone");
        assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("gone"));
        assertEquals(List.of("kept"), store.list());
        store.delete("gone"); // again: nothing there, no error
        store.delete("never-existed");
        assertEquals(List.of("envector/keys/kept/enc_blob.json", "envector/keys/kept/eval_blob.json"), objectKeys());
    }

    @Test
    void replaceSecretPutsANewCurrentVersionAndDestroySecretDeletesOnlyTheSecrets() throws IOException {
        try (KekProvider kek = KekProvider.aes(SealTestKeys.kek(40))) {
            SecretReplaceChecks.generateSealed(store, "rot", kek, tmp.resolve("keys"));
            String sec = "envector/keys/rot/sec_blob";
            String objectsBefore = objectKeys().toString();
            Map<KeyFileKind, byte[]> old = SecretReplaceChecks.replaceBothAndCheck(store, "rot", kek, tmp.resolve("r"));
            assertTrue(servers.secrets().calls().contains("PutSecretValue " + sec), servers.secrets().calls().toString());
            // Secrets Manager keeps the replaced version as AWSPREVIOUS (no API deletes one version)
            assertArrayEquals(old.get(KeyFileKind.SECKEY), servers.secrets().previousValue(sec).getBytes(StandardCharsets.UTF_8));
            assertEquals(objectsBefore, objectKeys().toString(), "the public parts are not touched");

            SecretReplaceChecks.destroyBothAndCheck(store, "rot");
            assertEquals(Map.of(), servers.secrets().liveSecrets());
            assertEquals(null, servers.secrets().previousValue(sec), "ForceDeleteWithoutRecovery: every version goes");
            assertEquals(List.of("envector/keys/rot/enc_blob.json", "envector/keys/rot/eval_blob.json"), objectKeys());
        }
    }

    @Test
    void replaceSecretOfAMissingSecretOrAFailingServiceIsAStoreError() throws IOException {
        generator("plain").generateKeys(store);
        byte[] envelope = SecretReplaceChecks.missingSecretIsRefused(store, "plain", "ResourceNotFound");
        servers.secrets().failCalls(1, 5, "InternalServiceError", 500);
        SecretReplaceChecks.failedReplaceChangesNothing(store, "plain", envelope, "InternalServiceError");
    }

    @Test
    void listPagesAndSkipsIncompleteSets() throws IOException {
        for (String id : List.of("a", "b", "c")) {
            generator(id).generateKeys(store);
        }
        try (S3Client s3 = servers.s3()) {
            s3.deleteObject(r -> r.bucket(bucket).key("envector/keys/b/eval_blob.json"));
        }
        assertEquals(List.of("a", "c"), store.list());
        assertFalse(store.exists("b"));
    }

    @Test
    void secretOverTheSecretsManagerLimitIsRefusedBeforeUpload() {
        KeySetWriter big = sink -> {
            for (KeyFileKind k : List.of(KeyFileKind.SECKEY, KeyFileKind.ENCKEY, KeyFileKind.EVALKEY)) {
                try (OutputStream out = sink.open(k)) {
                    out.write(new byte[k == KeyFileKind.SECKEY ? 65_537 : 10]);
                }
            }
        };
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("big", big));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("SecKey.json is 65537 bytes") && e.getMessage().contains("65536"),
                e.getMessage());
        assertEquals(List.of(), objectKeys());
        assertTrue(servers.secrets().calls().stream().noneMatch(c -> c.startsWith("CreateSecret")));
    }

    @Test
    void uploadOfALocalDirectoryVerifiesFirst() throws IOException {
        Path dir = generator("local").generateKeys();
        KeyTransfer.upload(dir, store, "pushed");
        assertTrue(store.exists("pushed"));
        KeySet back = KeySet.load(store, "pushed", tmp.resolve("back"));
        assertEquals("local", back.keyId(), "kid inside the envelopes is kept");

        Files.writeString(dir.resolve("EncKey.json"), Files.readString(dir.resolve("EncKey.json")).replace("\"kid\":\"local\"",
                "\"kid\":\"other\""));
        KeygenException e = assertThrows(KeygenException.class, () -> KeyTransfer.upload(dir, store, "tampered"));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("tampered"));
    }

    @Test
    void tamperedRemoteSetIsNotDownloaded() throws IOException {
        generator("bad").generateKeys(store);
        try (S3Client s3 = servers.s3()) {
            String enc = s3.getObjectAsBytes(r -> r.bucket(bucket).key("envector/keys/bad/enc_blob.json")).asUtf8String();
            s3.putObject(r -> r.bucket(bucket).key("envector/keys/bad/enc_blob.json"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(enc.replace("\"usage\":\"vector_search\"",
                            "\"usage\":\"evaluation\"")));
        }
        KeygenException e = assertThrows(KeygenException.class, () -> KeySet.load(store, "bad", tmp.resolve("dl")));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals(List.of(), io.evkeygen.TestSupport.list(tmp.resolve("dl")), "nothing left behind");
    }
}
