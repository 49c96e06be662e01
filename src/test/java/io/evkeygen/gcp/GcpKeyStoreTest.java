package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.testutil.SealTestKeys;
import io.evkeygen.testutil.SecretReplaceChecks;
import io.grpc.Status;
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

/** The GCP key store through the real Google clients, against FakeGcsServer (HTTP) and FakeSecretManagerServer (gRPC). */
class GcpKeyStoreTest {
    private static final String SEED = "0123456789abcdef".repeat(8);
    private static final String BUCKET = "envector-key-storage";

    @TempDir
    Path tmp;

    private GcpTestServers servers;
    private GcpKeyStore store;

    @BeforeEach
    void start() throws IOException {
        servers = GcpTestServers.get();
        store = new GcpKeyStore(servers.config(BUCKET));
    }

    @AfterEach
    void stop() {
        store.close();
        assertEquals(List.of(), servers.gcs().problems(), "request shapes seen by the fake GCS");
        assertEquals(List.of(), servers.secrets().problems(), "request shapes seen by the fake Secret Manager");
    }

    private KeyGenerator generator(String keyId) {
        return KeyGenerator.builder().keyPath(tmp.resolve("keys")).keyId(keyId).dims(32).threads(2)
                .seed(Seed.fromHex(SEED)).build();
    }

    private List<String> objectNames() {
        return List.copyOf(servers.gcs().objects(BUCKET).keySet());
    }

    @Test
    void uploadThenLoadAndVerifyWithPyenvectorNames() throws IOException {
        String where = generator("demo").generateKeys(store);
        assertTrue(where.contains("gs://" + BUCKET + "/envector/keys/demo/"), where);
        assertEquals(List.of("envector/keys/demo/enc_blob.json", "envector/keys/demo/eval_blob.json"), objectNames());
        servers.gcs().objects(BUCKET).values().forEach(o -> assertEquals("application/json", o.contentType()));
        assertEquals(List.of("envector-keys-demo-metadata_blob", "envector-keys-demo-sec_blob"),
                List.copyOf(servers.secrets().latest().keySet()));
        assertTrue(servers.secrets().secret("envector-keys-demo-sec_blob").getReplication().hasAutomatic());
        assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("demo"));
        assertTrue(store.exists("demo"));

        // upload order: EvalKey, EncKey (objects), then MetadataKey, SecKey (secret, then its version)
        List<String> uploads = servers.gcs().calls().stream().filter(c -> c.startsWith("START-UPLOAD")).toList();
        assertEquals(List.of("START-UPLOAD " + BUCKET + "/envector/keys/demo/eval_blob.json",
                "START-UPLOAD " + BUCKET + "/envector/keys/demo/enc_blob.json"), uploads);
        List<String> writes = servers.secrets().calls().stream()
                .filter(c -> c.startsWith("CreateSecret") || c.startsWith("AddSecretVersion")).toList();
        assertEquals(List.of("CreateSecret envector-keys-demo-metadata_blob", "AddSecretVersion envector-keys-demo-metadata_blob",
                "CreateSecret envector-keys-demo-sec_blob", "AddSecretVersion envector-keys-demo-sec_blob"), writes);

        KeySet keys = KeySet.load(store, "demo", tmp.resolve("downloaded"));
        assertEquals("demo", keys.keyId());
        assertTrue(keys.hasMetadataKey());
        try (InputStream in = store.open("demo", KeyFileKind.SECKEY)) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("downloaded/demo/SecKey.json")), in.readAllBytes());
        }
        assertTrue(servers.secrets().calls().contains("AccessSecretVersion envector-keys-demo-sec_blob/versions/latest"));
        byte[] eval = servers.gcs().objects(BUCKET).get("envector/keys/demo/eval_blob.json").data();
        assertArrayEquals(eval, Files.readAllBytes(tmp.resolve("downloaded/demo/EvalKey.json")));
    }

    @Test
    void customPrefixNamesObjectsAndSecretIds() throws IOException {
        try (GcpKeyStore custom = new GcpKeyStore(servers.config(BUCKET).withPrefix("/team.a/keys/"))) {
            generator("k1").generateKeys(custom);
            assertEquals(List.of("team.a/keys/k1/enc_blob.json", "team.a/keys/k1/eval_blob.json"), objectNames());
            assertEquals(List.of("team-a-keys-k1-metadata_blob", "team-a-keys-k1-sec_blob"),
                    List.copyOf(servers.secrets().latest().keySet()));
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
        // partial leftovers are refused too: an object only, a secret only
        servers.gcs().put(BUCKET, "envector/keys/partial/eval_blob.json", "{}".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(KeygenException.class, () -> store.save("partial", sink -> generated.set(true)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertTrue(e.getMessage().contains("EvalKey.json"), e.getMessage());
        servers.secrets().put("envector-keys-lone-metadata_blob", "{}".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(KeygenException.class, () -> store.save("lone", sink -> generated.set(true)));
        assertTrue(e.getMessage().contains("MetadataKey.json"), e.getMessage());
        assertFalse(store.exists("partial"));
        assertFalse(generated.get());
    }

    @Test
    void anObjectWrittenByAnotherWriterMeanwhileIsNotOverwritten() throws IOException {
        Path dir = generator("race").generateKeys();
        KeySetWriter racing = sink -> {
            copy(dir, sink);
            servers.gcs().put(BUCKET, "envector/keys/race/enc_blob.json", "theirs".getBytes(StandardCharsets.UTF_8));
        };
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("race", racing));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("EncKey.json") && e.getMessage().contains("rolled back EvalKey.json"), e.getMessage());
        assertArrayEquals("theirs".getBytes(StandardCharsets.UTF_8),
                servers.gcs().objects(BUCKET).get("envector/keys/race/enc_blob.json").data());
        assertEquals(List.of("envector/keys/race/enc_blob.json"), objectNames());
        assertEquals(Map.of(), servers.secrets().latest());
    }

    @Test
    void failedSecretWriteRollsBackAndNamesThePart() throws IOException {
        // Secret Manager calls of a save: 2 GetSecretVersion (existence), Create+Add metadata, Create sec, Add sec
        servers.secrets().failCalls(6, 1, Status.Code.PERMISSION_DENIED);
        KeygenException e = assertThrows(KeygenException.class, () -> generator("half").generateKeys(store));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        String msg = e.getMessage();
        assertTrue(msg.contains("SecKey.json") && msg.contains("secrets/envector-keys-half-sec_blob"), msg);
        assertTrue(msg.contains("PERMISSION_DENIED"), msg);
        assertTrue(msg.contains("rolled back EvalKey.json, EncKey.json, MetadataKey.json"), msg);
        assertFalse(msg.contains("\n"), msg);
        assertEquals(List.of(), objectNames());
        assertEquals(Map.of(), servers.secrets().latest(), "the empty SecKey secret is removed too");
        assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("half"));
        generator("half").generateKeys(store);
        assertTrue(store.exists("half"));
    }

    @Test
    void failedObjectUploadRollsBackEvalKey() {
        // GCS calls: bucket get, 2 object gets (parts), then eval start+put, then enc start
        servers.gcs().failCalls(6, 1, 403, "forbidden");
        KeygenException e = assertThrows(KeygenException.class, () -> generator("g").generateKeys(store));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("EncKey.json") && e.getMessage().contains("HTTP 403")
                && e.getMessage().contains("rolled back EvalKey.json"), e.getMessage());
        assertEquals(List.of(), objectNames());
        assertEquals(Map.of(), servers.secrets().latest());
    }

    @Test
    void missingBucketIsOneLineAndTouchesNoSecret() {
        GcpStoreConfig c = new GcpStoreConfig(GcpTestServers.PROJECT, "no-such-bucket", null,
                GcpTestServers.credentials(GcpTestServers.TOKEN), servers.gcs().host(), servers.secrets().endpoint());
        try (GcpKeyStore missing = new GcpKeyStore(c)) {
            KeygenException e = assertThrows(KeygenException.class, () -> generator("x").generateKeys(missing));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("NoSuchBucket") && e.getMessage().contains("gs://no-such-bucket"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertTrue(servers.secrets().calls().isEmpty(), servers.secrets().calls().toString());
    }

    @Test
    void connectionFailuresAndServiceErrorsAreDescribedInOneLine() {
        // (the client retries a refused connection for about 50 s, so the message is checked on the exception)
        assertEquals("ConnectionError: Connection refused",
                GcpErrors.describe(new com.google.cloud.storage.StorageException(0, "Connection refused")));
        String d = GcpErrors.describe(new com.google.cloud.storage.StorageException(403, "denied\nmore", "forbidden", null));
        assertEquals("forbidden: denied (HTTP 403)", d);
    }

    @Test
    void wrongCredentialsAreStoreErrors() throws IOException {
        GcpStoreConfig bad = servers.config(BUCKET).withCredentials(GcpTestServers.credentials("ya29.wrong"));
        try (GcpKeyStore denied = new GcpKeyStore(bad)) {
            KeygenException e = assertThrows(KeygenException.class, () -> denied.parts("x"));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("401") || e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
            assertFalse(e.getMessage().contains("ya29"), "never the token");
        } finally {
            servers.gcs().reset();
            servers.secrets().reset();
        }
    }

    @Test
    void deleteRemovesEveryPartSecKeyFirstAndListPages() throws IOException {
        for (String id : List.of("a", "b", "c")) {
            generator(id).generateKeys(store);
        }
        assertEquals(List.of("a", "b", "c"), store.list());
        // listings page by 2 objects and 2 secrets: several pages each
        assertTrue(servers.gcs().calls().stream().filter(c -> c.startsWith("LIST")).count() >= 3);
        assertTrue(servers.secrets().calls().stream().filter(c -> c.startsWith("ListSecrets")).count() >= 2);
        servers.gcs().remove(BUCKET, "envector/keys/a/eval_blob.json");
        servers.secrets().reset();
        servers.secrets().put("envector-keys-b-sec_blob", "{}".getBytes(StandardCharsets.UTF_8));
        servers.secrets().put("envector-keys-b-metadata_blob", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("b"), store.list(), "a lacks EvalKey, c lacks its secrets");
        int before = servers.secrets().calls().size();
        store.delete("b");
        List<String> deletes = servers.secrets().calls().subList(before, servers.secrets().calls().size());
        assertEquals(List.of("DeleteSecret envector-keys-b-sec_blob", "DeleteSecret envector-keys-b-metadata_blob"), deletes);
        assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("b"));
        store.delete("b"); // again: nothing there, no error
        assertEquals(List.of("envector/keys/a/enc_blob.json", "envector/keys/c/enc_blob.json",
                "envector/keys/c/eval_blob.json"), objectNames());
        assertEquals(Map.of(), servers.secrets().latest());
    }

    @Test
    void replaceSecretAddsAVersionDestroysTheOlderOnesAndDestroySecretDeletesOnlyTheSecrets() throws IOException {
        try (KekProvider kek = KekProvider.aes(SealTestKeys.kek(41))) {
            SecretReplaceChecks.generateSealed(store, "rot", kek, tmp.resolve("keys"));
            String sec = "envector-keys-rot-sec_blob";
            List<String> objectsBefore = objectNames();
            SecretReplaceChecks.replaceBothAndCheck(store, "rot", kek, tmp.resolve("r1"));
            SecretReplaceChecks.replaceBothAndCheck(store, "rot", kek, tmp.resolve("r2"));
            assertEquals(1, servers.secrets().liveVersions(sec), "only the newest sealing is kept");
            assertEquals(1, servers.secrets().liveVersions("envector-keys-rot-metadata_blob"));
            assertEquals(List.of("DestroySecretVersion " + sec + "/1", "DestroySecretVersion " + sec + "/2"),
                    servers.secrets().calls().stream().filter(c -> c.startsWith("DestroySecretVersion " + sec)).toList(),
                    "each older version destroyed once, by number");
            assertEquals(objectsBefore, objectNames(), "the public parts are not touched");

            SecretReplaceChecks.destroyBothAndCheck(store, "rot");
            assertEquals(List.of(), List.copyOf(servers.secrets().latest().keySet()));
            assertEquals(objectsBefore, objectNames());
        }
    }

    @Test
    void replaceSecretOfAMissingSecretOrAFailingServiceIsAStoreError() throws IOException {
        generator("plain").generateKeys(store);
        byte[] envelope = SecretReplaceChecks.missingSecretIsRefused(store, "plain", "NOT_FOUND");
        servers.secrets().failCalls(1, 1, Status.Code.PERMISSION_DENIED);
        SecretReplaceChecks.failedReplaceChangesNothing(store, "plain", envelope, "PERMISSION_DENIED");
    }

    @Test
    void secretOverTheSecretManagerLimitIsRefusedBeforeUpload() {
        KeySetWriter big = sink -> {
            for (KeyFileKind k : List.of(KeyFileKind.SECKEY, KeyFileKind.ENCKEY, KeyFileKind.EVALKEY)) {
                try (OutputStream out = sink.open(k)) {
                    out.write(new byte[k == KeyFileKind.SECKEY ? 65_537 : 10]);
                }
            }
        };
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("big", big));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("SecKey.json is 65537 bytes") && e.getMessage().contains("Secret Manager"),
                e.getMessage());
        assertEquals(List.of(), objectNames());
        assertTrue(servers.secrets().calls().stream().noneMatch(c -> c.startsWith("CreateSecret")));
    }

    @Test
    void tamperedRemoteSetIsNotDownloaded() throws IOException {
        generator("bad").generateKeys(store);
        String name = "envector/keys/bad/enc_blob.json";
        String enc = new String(servers.gcs().objects(BUCKET).get(name).data(), StandardCharsets.UTF_8);
        servers.gcs().put(BUCKET, name, enc.replace("\"usage\":\"vector_search\"", "\"usage\":\"evaluation\"")
                .getBytes(StandardCharsets.UTF_8));
        KeygenException e = assertThrows(KeygenException.class, () -> KeySet.load(store, "bad", tmp.resolve("dl")));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals(List.of(), TestSupport.list(tmp.resolve("dl")), "nothing left behind");
    }

    @Test
    void aSecretCorruptedInTransitIsRefused() throws IOException {
        generator("crc").generateKeys(store);
        servers.secrets().corruptChecksums(true);
        KeygenException e = assertThrows(KeygenException.class, () -> store.open("crc", KeyFileKind.SECKEY));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void uploadOfALocalDirectoryVerifiesFirstAndDownloadRoundTrips() throws IOException {
        Path dir = generator("local").generateKeys();
        KeyStores.upload(dir, store, "pushed");
        Path back = KeyStores.download(store, "pushed", tmp.resolve("back"));
        for (KeyFileKind k : KeyFileKind.values()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(k.fileName())), Files.readAllBytes(back.resolve(k.fileName())), k.name());
        }
    }

    static void copy(Path dir, io.evkeygen.spi.KeyFileSink sink) throws IOException {
        for (KeyFileKind k : KeyFileKind.values()) {
            Path f = dir.resolve(k.fileName());
            if (Files.exists(f)) {
                try (OutputStream out = sink.open(k)) {
                    Files.copy(f, out);
                }
            }
        }
    }
}
