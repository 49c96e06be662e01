package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.MetadataCipher;
import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.KmsClient.KeyVersion;
import io.evkeygen.kms.KmsClient.Status;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.TestCerts;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@link KmsClient} against the real in-process KMS server, nothing faked: a key's whole
 * life (generate, details, downloads, metadata, suspend, resume, rotate, destroy, delete) over
 * plaintext loopback and over TLS from the test CA; the token rules as the client reports them; and
 * 16 client threads generating one key id.
 */
class KmsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(300);

    @TempDir
    Path tmp;

    /** A client error for {@code rpc} answered with return code {@code code}, as one line. */
    static ServerException refused(Executable call, String rpc, String code) {
        ServerException e = assertThrows(ServerException.class, call);
        assertTrue(e.getMessage().startsWith("KMS " + rpc + " failed (return_code="), e.getMessage());
        assertTrue(e.getMessage().contains(" " + code + "): "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        return e;
    }

    private static byte[] download(KmsClient c, String keyId, KeyFile file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.download(keyId, file, out);
        return out.toByteArray();
    }

    private static byte[] secretKey(KeySet set) throws Exception {
        try (SecretBytes s = set.secretKey()) {
            return s.reveal().clone();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aKeysWholeLifeThroughTheClient(boolean tls) throws Exception {
        TestCerts certs = tls ? TestCerts.create(Files.createDirectories(tmp.resolve("certs"))) : null;
        try (KmsInProcess kms = new KmsInProcess(tmp, certs, List.of(32), 1024);
             KmsClient alice = kms.client(KmsInProcess.ALICE)) {
            String id = "life";
            Instant before = Instant.now().minusSeconds(1);
            assertEquals(new KmsClient.Generation(id, 1, Status.PENDING), alice.generateKey(id, KeySpec.DEFAULTS));
            alice.waitForKey(id, WAIT);
            assertEquals(Status.READY, alice.keyStatus(id));
            assertEquals(Status.READY, alice.generateKey(id, KeySpec.DEFAULTS).status(), "an existing id is READY");

            List<KeyVersion> details = alice.keyDetails(id);
            assertEquals(List.of("SECRET_KEY", "ENC_KEY", "EVAL_KEY", "METADATA_KEY"),
                    details.stream().map(KeyVersion::keyType).toList());
            for (KeyVersion v : details) {
                assertEquals(1, v.version());
                assertEquals("ACTIVE", v.state());
                assertEquals("alice", v.actor(), "the token's principal");
                Instant created = Instant.parse(v.createdAt());
                assertFalse(created.isBefore(before) || created.isAfter(Instant.now()), v.createdAt());
                assertTrue(v.updatedAt().endsWith("Z"), v.updatedAt());
            }

            byte[] enc = download(alice, id, KeyFile.ENC_KEY);
            byte[] eval = download(alice, id, KeyFile.EVAL_KEY);
            assertArrayEquals(Files.readAllBytes(kms.file(id, "EncKey.json")), enc);
            assertArrayEquals(Files.readAllBytes(kms.file(id, "EvalKey.json")), eval);
            byte[] secret = secretKey(kms.stored(id));

            List<String> values = List.of("first", "{\"doc\":2}", "");
            List<byte[]> sealed = alice.encryptMetadata(id, values);
            assertEquals(12 + 16 + 5, sealed.get(0).length, "iv || tag || ciphertext");
            assertEquals(values, alice.decryptMetadata(id, sealed));
            byte[] changed = sealed.get(0).clone();
            changed[changed.length - 1] ^= 1;
            ServerException forged = refused(() -> alice.decryptMetadata(id, List.of(sealed.get(1), changed)),
                    "DecryptMetadata", "Fail");
            assertFalse(forged.getMessage().contains("doc") || forged.getMessage().contains("first"),
                    "no plaintext quoted: " + forged.getMessage());

            alice.suspend(id, "audit");
            assertEquals("SUSPENDED", alice.keyDetails(id).get(0).state());
            for (String msg : List.of(
                    refused(() -> alice.download(id, KeyFile.ENC_KEY, new ByteArrayOutputStream()), "DownloadKey", "Fail")
                            .getMessage(),
                    refused(() -> alice.encryptMetadata(id, List.of("x")), "EncryptMetadata", "Fail").getMessage(),
                    refused(() -> alice.decryptMetadata(id, sealed), "DecryptMetadata", "Fail").getMessage(),
                    refused(() -> alice.topKOf(id, List.of(new byte[64]), 1, null, List.of()), "TopK", "Fail")
                            .getMessage())) {
                assertTrue(msg.endsWith("key " + id + " is suspended"), msg);
            }
            alice.resume(id, "done");
            assertEquals(values, alice.decryptMetadata(id, sealed));

            byte[] sealedSecretBefore = Files.readAllBytes(kms.file(id, "SecKey.json"));
            alice.rotate(id, "yearly");
            assertEquals("ACTIVE", alice.keyDetails(id).get(0).state(), "rotation returns to ACTIVE");
            assertArrayEquals(enc, download(alice, id, KeyFile.ENC_KEY), "EncKey byte-identical");
            assertArrayEquals(eval, download(alice, id, KeyFile.EVAL_KEY), "EvalKey byte-identical");
            assertEquals(values, alice.decryptMetadata(id, sealed), "metadata sealed before decrypts after");
            assertFalse(Arrays.equals(sealedSecretBefore, Files.readAllBytes(kms.file(id, "SecKey.json"))),
                    "SecKey resealed");
            assertArrayEquals(secret, secretKey(kms.stored(id)), "the key material is unchanged");

            alice.destroy(id, "retired");
            assertFalse(Files.exists(kms.file(id, "SecKey.json")) || Files.exists(kms.file(id, "MetadataKey.json")));
            assertArrayEquals(enc, Files.readAllBytes(kms.file(id, "EncKey.json")), "the public files stay");
            assertTrue(alice.keyDetails(id).stream().allMatch(v -> v.state().equals("DESTROYED")));
            refused(() -> alice.download(id, KeyFile.EVAL_KEY, new ByteArrayOutputStream()), "DownloadKey", "Fail");
            refused(() -> alice.encryptMetadata(id, List.of("x")), "EncryptMetadata", "Fail");
            refused(() -> alice.keyStatus(id), "GetKeyStatus", "Fail");
            refused(() -> alice.resume(id, "no"), "TransitionState", "InvalidInput");
            refused(() -> alice.rotate(id, "no"), "TransitionState", "InvalidInput");

            alice.delete(id, "gone");
            refused(() -> alice.keyDetails(id), "GetKeyDetails", "NotFoundError");
            refused(() -> alice.keyStatus(id), "GetKeyStatus", "NotFoundError");
            assertFalse(Files.exists(kms.keyPath.resolve(id)), "every file of the id removed");
            assertTrue(kms.audit.toString().contains("principal=alice rpc=Delete key_id=life result=Success"),
                    kms.audit.toString());
        }
    }

    @Test
    void theTokenRulesAsTheClientReportsThem() throws Exception {
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32));
             KmsClient nobody = kms.client(null);
             KmsClient stranger = kms.client("not-a-listed-token");
             KmsClient bob = kms.client(KmsInProcess.BOB)) {
            for (KmsClient c : List.of(nobody, stranger)) {
                ServerException e = assertThrows(ServerException.class, () -> c.keyStatus("team-a"));
                assertTrue(e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
                assertEquals(-1, e.getMessage().indexOf("not-a-listed-token"), "the token is never quoted");
            }
            ServerException outside = assertThrows(ServerException.class, () -> bob.generateKey("other", KeySpec.DEFAULTS));
            assertTrue(outside.getMessage().contains("PERMISSION_DENIED"), outside.getMessage());
            assertFalse(Files.exists(kms.keyPath.resolve("other")));

            assertTrue(nobody.health(), "Health needs no token");
            bob.generateKey("team-a", KeySpec.DEFAULTS);
            bob.waitForKey("team-a", WAIT);
            assertEquals("bob", bob.keyDetails("team-a").get(0).actor());
            assertTrue(kms.audit.toString().contains("principal=bob rpc=GenerateKey key_id=team-a result=Success"));
            assertFalse(kms.audit.toString().contains(KmsInProcess.BOB), "no token in the audit log");
        }
    }

    @Test
    void sixteenClientThreadsGeneratingOneIdMakeOneSet() throws Exception {
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<KmsClient> clients = new ArrayList<>();
            List<Object> answers = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> fs = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    KmsClient c = kms.client(KmsInProcess.ALICE);
                    clients.add(c);
                    fs.add(pool.submit(() -> {
                        go.await();
                        try {
                            return c.generateKey("race", KeySpec.DEFAULTS).status();
                        } catch (ServerException e) {
                            return e.getMessage();
                        }
                    }));
                }
                go.countDown();
                for (Future<Object> f : fs) {
                    answers.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, answers.stream().filter(Status.PENDING::equals).count(), answers.toString());
            for (Object a : answers) {
                assertTrue(a == Status.PENDING || a == Status.READY || (a instanceof String m
                        && m.startsWith("KMS GenerateKey failed (return_code=") && m.contains("already in progress")),
                        a.toString());
            }
            clients.get(0).waitForKey("race", WAIT);
            KeySet set = kms.stored("race");
            assertEquals("race", set.keyId());
            try (Stream<Path> s = Files.list(kms.keyPath)) {
                assertEquals(Set.of("race"), s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                        .collect(Collectors.toSet()), "one set, no staging left");
            }
            for (KmsClient c : clients) {
                c.close();
            }
        }
    }

    /** State lives in the store: a new server on the same key path knows the key, its state and its metadata. */
    @Test
    void aRestartedServerLosesNothing() throws Exception {
        List<byte[]> sealed;
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32));
             KmsClient alice = kms.client(KmsInProcess.ALICE)) {
            alice.generateKey("kept", KeySpec.DEFAULTS);
            alice.waitForKey("kept", WAIT);
            sealed = alice.encryptMetadata("kept", List.of("before the restart"));
            alice.suspend("kept", "night");
        }
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32));
             KmsClient alice = kms.client(KmsInProcess.ALICE)) {
            assertEquals(Status.READY, alice.keyStatus("kept"));
            assertEquals("SUSPENDED", alice.keyDetails("kept").get(0).state());
            refused(() -> alice.decryptMetadata("kept", sealed), "DecryptMetadata", "Fail");
            alice.resume("kept", "morning");
            assertEquals(List.of("before the restart"), alice.decryptMetadata("kept", sealed));
        }
    }

    /** Metadata the KMS encrypted opens with the stored MetadataKey: the SDK's layout, not a private one. */
    @Test
    void kmsMetadataIsThePythonSdkLayout() throws Exception {
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32));
             KmsClient alice = kms.client(KmsInProcess.ALICE)) {
            alice.generateKey("meta", KeySpec.DEFAULTS);
            alice.waitForKey("meta", WAIT);
            byte[] sealed = alice.encryptMetadata("meta", List.of("payload 1")).get(0);
            try (MetadataCipher c = MetadataCipher.fromFile(kms.keyPath.resolve("meta"), kms.master)) {
                assertEquals("payload 1", c.decryptString(Base64.getEncoder().encodeToString(sealed)));
                String local = c.encrypt("from the SDK");
                assertEquals(List.of("from the SDK"), alice.decryptMetadata("meta", List.of(Base64.getDecoder().decode(local))));
            }
        }
    }
}
