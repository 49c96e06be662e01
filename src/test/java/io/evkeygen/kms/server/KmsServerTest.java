package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.MetadataCipher;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusResponse;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.KeyType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyVersionRecord;
import io.evkeygen.kms.internal.proto.KmsV2.TopKRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.params.EvalMode;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatRequest;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatResponse;
import io.evkeygen.server.internal.proto.CommonV2.RequestHeader;
import io.evkeygen.server.internal.proto.CommonV2.ResponseHeader;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 items 1, 2 and 4: the KMS in process on loopback (plaintext), called as the Python SDK
 * calls it, over a local key path. Each test uses key ids of its own on one shared server.
 */
class KmsServerTest {
    @TempDir
    static Path tmp;
    static KmsFixture kms;

    @BeforeAll
    static void start() throws Exception {
        kms = new KmsFixture(tmp, KmsFixture.plaintext());
    }

    @AfterAll
    static void stop() throws Exception {
        kms.close();
    }

    @Test
    void generateKeyAnswersPendingAtOnceThenReadyAndNeverGeneratesTwice() throws Exception {
        RequestHeader h = KmsFixture.header();
        GenerateKeyResponse first = kms.call(KmsRpcs.GENERATE_KEY,
                GenerateKeyRequest.newBuilder().setHeader(h).setKeyId("gen-1").build());
        assertEquals(ReturnCode.Success, first.getHeader().getReturnCode());
        assertEquals(h.getId(), first.getHeader().getId(), "the header id is echoed");
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(first.getHeader().getTimestamp() - now) <= 5, "timestamp in Unix seconds");
        assertEquals("gen-1", first.getKeyId());
        assertEquals(1, first.getVersion());
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, first.getStatus());
        kms.waitReady("gen-1");
        byte[] secKey = Files.readAllBytes(kms.keyPath.resolve("gen-1/SecKey.json"));
        GenerateKeyResponse again = kms.generate("gen-1");
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, again.getStatus());
        assertArrayEquals(secKey, Files.readAllBytes(kms.keyPath.resolve("gen-1/SecKey.json")), "not generated again");
        // defaults: IP0, RMP, the server's dims, metadata key on, secrets sealed under the master key
        KeySet set = KeySet.load(kms.keyPath.resolve("gen-1"), kms.master);
        assertEquals("IP0", set.parameters().preset());
        assertEquals(EvalMode.RMP, set.evalMode());
        assertEquals(List.of(32), set.dims());
        assertTrue(set.hasMetadataKey());
        assertTrue(set.sealed());
        assertThrows(RuntimeException.class, () -> KeySet.load(kms.keyPath.resolve("gen-1")).secretKey(),
                "the SecKey is sealed at rest");
        assertTrue(kms.audit().contains("principal=alice rpc=GenerateKey key_id=gen-1 result=Success"), kms.audit());
        assertFalse(kms.audit().contains(KmsFixture.ALICE), "no token in the audit log");
    }

    @Test
    void presetAndModeAreReadInAnyCaseAndSeedAndMetadataFlagAreHonoured() throws Exception {
        byte[] seed = new byte[64];
        seed[0] = 7;
        kms.generate(GenerateKeyRequest.newBuilder().setKeyId("case-1").setPreset("ip1").setEvalMode("mM")
                .setMetadataEncryptionEnabled(false).setSeed(KmsFixture.bytes(seed)));
        kms.waitReady("case-1");
        KeySet set = KeySet.load(kms.keyPath.resolve("case-1"), kms.master);
        assertEquals("IP1", set.parameters().preset());
        assertEquals(EvalMode.MM, set.evalMode());
        assertFalse(set.hasMetadataKey());
        assertFalse(Files.exists(kms.keyPath.resolve("case-1/MetadataKey.json")));
    }

    @Test
    void withoutDimsAServerGeneratesEveryRmpDimUpTo2048AllOfPadRank32() throws Exception {
        try (KmsFixture k = new KmsFixture(tmp.resolve("defaults"), KmsServer.builder().plaintext())) {
            k.generateAndWait("defaults-1");
            KeySet set = KeySet.load(k.keyPath.resolve("defaults-1"), k.master);
            assertEquals(List.of(32, 64, 128, 256, 512, 1024, 2048), set.dims());
            assertTrue(set.dims().stream().allMatch(d -> EvalMode.RMP.padRank(d) == 32));
        }
    }

    @Test
    void unpublishedPresetsAndModesAreRefusedSayingWhatWorks() {
        String[][] asks = {{"IP3", "MM32"}, {"IP2", "RMP"}, {"ip1", "mms"}, {"IP1", "MMS32"}, {"IP1", "mm32"}, {"IP9", "RMP"}};
        for (String[] ask : asks) {
            GenerateKeyResponse r = kms.generate(GenerateKeyRequest.newBuilder().setKeyId("refused")
                    .setPreset(ask[0]).setEvalMode(ask[1]));
            assertEquals(ReturnCode.InvalidInput, r.getHeader().getReturnCode(), String.join("/", ask));
            assertTrue(r.getHeader().getErrorMessage().contains(
                    "pass preset=\"IP1\" with eval_mode=\"RMP\" or \"MM\" to ev.init"), r.getHeader().getErrorMessage());
        }
        GenerateKeyResponse shortSeed = kms.generate(GenerateKeyRequest.newBuilder().setKeyId("refused")
                .setSeed(KmsFixture.bytes(new byte[63])));
        assertEquals(ReturnCode.InvalidInput, shortSeed.getHeader().getReturnCode());
        assertTrue(shortSeed.getHeader().getErrorMessage().contains("64 bytes"));
        assertEquals(ReturnCode.NotFoundError, statusCode("refused"), "a refused request leaves nothing");
        assertFalse(Files.exists(kms.keyPath.resolve("refused")));
    }

    @Test
    void aGenerationInProgressAnswersFailAlreadyInProgress() throws Exception {
        try (KmsFixture slow = new KmsFixture(tmp.resolve("slow"), KmsFixture.plaintext().steps((id, step) -> {
            if (step.equals(KmsSteps.GENERATION_STARTED)) {
                sleep(1500);
            }
        }))) {
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, slow.generate("busy").getStatus());
            GenerateKeyResponse second = slow.generate("busy");
            assertEquals(ReturnCode.Fail, second.getHeader().getReturnCode());
            assertTrue(second.getHeader().getErrorMessage().contains("already in progress"));
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, slow.status("busy"));
            GetKeyDetailsResponse details = slow.call(KmsRpcs.GET_KEY_DETAILS,
                    GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("busy").build());
            assertEquals(0, details.getVersionsCount(), "no file yet: the SDK reads 'absent' and polls");
            slow.waitReady("busy");
        }
    }

    /**
     * GetKeyStatus of a key this server is generating holds its PENDING answer up to the status wait:
     * READY comes in the same call when the generation settles in time, PENDING when it does not, and
     * never past the caller's deadline.
     */
    @Test
    void aPendingStatusIsAnsweredWhenTheGenerationSettlesWithinTheWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (KmsFixture held = new KmsFixture(tmp.resolve("held"), KmsFixture.plaintext()
                .statusWait(Duration.ofMillis(400)).steps((id, step) -> {
                    if (step.equals(KmsSteps.GENERATION_STARTED)) {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }))) {
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, held.generate("slow").getStatus());
            long t0 = System.nanoTime();
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, held.status("slow"));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited >= 350 && waited < 5000, "held for the status wait, not more: " + waited + " ms");
            t0 = System.nanoTime();
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, held.status("slow", 150), "answered within the deadline");
            waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited < 150, "the deadline less its margin: " + waited + " ms");
            Thread releaser = new Thread(() -> {
                sleep(200);
                release.countDown();
            });
            releaser.start();
            t0 = System.nanoTime();
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, held.status("slow", 10_000),
                    "READY in the call that was waiting");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
            releaser.join();
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, held.status("slow"));
        } finally {
            release.countDown();
        }
        try (KmsFixture plain = new KmsFixture(tmp.resolve("plain"), KmsFixture.plaintext().statusWait(Duration.ZERO)
                .steps((id, step) -> {
                    if (step.equals(KmsSteps.GENERATION_STARTED)) {
                        sleep(1500);
                    }
                }))) {
            plain.generate("quick-answer");
            long t0 = System.nanoTime();
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, plain.status("quick-answer"));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "a zero wait answers at once");
            plain.waitReady("quick-answer");
        }
        assertThrows(KeygenException.class, () -> KmsServer.builder().statusWait(Duration.ofMillis(-1)));
        assertThrows(KeygenException.class, () -> KmsServer.builder().statusWait(Duration.ofMinutes(2)));
    }

    @Test
    void unknownIdsAreNotFound() {
        assertEquals(ReturnCode.NotFoundError, statusCode("nobody"));
        GetKeyDetailsResponse d = kms.call(KmsRpcs.GET_KEY_DETAILS,
                GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("nobody").build());
        assertEquals(ReturnCode.NotFoundError, d.getHeader().getReturnCode());
        assertTrue(d.getHeader().getErrorMessage().contains("nobody"));
        assertEquals(ReturnCode.NotFoundError, kms.transition("nobody", KeyState.KEY_STATE_SUSPENDED).getReturnCode());
        assertEquals(ReturnCode.NotFoundError, delete("nobody").getReturnCode());
        assertEquals(ReturnCode.InvalidInput, statusCode("../etc"), "a key id that is no single name");
    }

    @Test
    void detailsListOneVersionRecordPerFileWithStateTimesAndActor() throws Exception {
        kms.generateAndWait("details-1");
        GetKeyDetailsResponse d = details("details-1");
        assertEquals(ReturnCode.Success, d.getHeader().getReturnCode());
        assertEquals(List.of(KeyType.KEY_TYPE_SECRET_KEY, KeyType.KEY_TYPE_ENC_KEY, KeyType.KEY_TYPE_EVAL_KEY,
                KeyType.KEY_TYPE_METADATA_KEY), d.getVersionsList().stream().map(KeyVersionRecord::getKeyType).toList());
        for (KeyVersionRecord v : d.getVersionsList()) {
            assertEquals(1, v.getVersion());
            assertEquals(KeyState.KEY_STATE_ACTIVE, v.getState());
            assertEquals("alice", v.getActor());
            assertTrue(v.getCreatedAt().endsWith("Z"), v.getCreatedAt());
            Instant created = Instant.parse(v.getCreatedAt());
            assertFalse(Instant.parse(v.getUpdatedAt()).isBefore(created));
        }
        assertEquals(ReturnCode.Success, kms.transition("details-1", KeyState.KEY_STATE_SUSPENDED).getReturnCode());
        KeyVersionRecord after = details("details-1").getVersions(0);
        assertEquals(KeyState.KEY_STATE_SUSPENDED, after.getState());
    }

    @Test
    void downloadStreamsTheStoredEnvelopesExactlyInChunksOfAtMostOneMebibyte() throws Exception {
        kms.generateAndWait("dl-1");
        for (KeyFileType type : List.of(KeyFileType.KEY_FILE_TYPE_ENC_KEY, KeyFileType.KEY_FILE_TYPE_EVAL_KEY)) {
            String name = type == KeyFileType.KEY_FILE_TYPE_ENC_KEY ? "EncKey.json" : "EvalKey.json";
            byte[] stored = Files.readAllBytes(kms.keyPath.resolve("dl-1").resolve(name));
            List<DownloadKeyResponse> chunks = new ArrayList<>();
            kms.download("dl-1", type).forEachRemaining(chunks::add);
            assertEquals((stored.length + KeyManagerService.CHUNK - 1) / KeyManagerService.CHUNK, chunks.size(), name);
            for (int i = 0; i < chunks.size(); i++) {
                DownloadKeyResponse c = chunks.get(i);
                assertEquals(ReturnCode.Success, c.getHeader().getReturnCode());
                assertEquals(i, c.getChunkIndex());
                assertEquals(stored.length, c.getTotalSize());
                assertEquals(name, c.getFileName());
                assertEquals("application/json", c.getContentType());
                assertEquals(type, c.getFileType());
                assertTrue(c.getContent().size() <= 1 << 20);
                assertEquals(i == chunks.size() - 1, c.getEof());
            }
            assertArrayEquals(stored, kms.downloadBytes("dl-1", type), name);
        }
        assertTrue(Files.size(kms.keyPath.resolve("dl-1/EvalKey.json")) > KeyManagerService.CHUNK,
                "the EvalKey spans several chunks");
        assertEquals(ReturnCode.InvalidInput, downloadError("dl-1", KeyFileType.KEY_FILE_TYPE_UNSPECIFIED, null));
        assertEquals(ReturnCode.InvalidInput, downloadError("dl-1", KeyFileType.KEY_FILE_TYPE_ENC_KEY, 2));
        assertEquals(ReturnCode.Success, downloadError("dl-1", KeyFileType.KEY_FILE_TYPE_ENC_KEY, 1));
        assertEquals(ReturnCode.NotFoundError, downloadError("nobody", KeyFileType.KEY_FILE_TYPE_ENC_KEY, null));
        DownloadKeyRequest secret = DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("dl-1")
                .setFileTypeValue(1).build(); // SECRET_KEY's number in KeyType: not a file type
        assertEquals(ReturnCode.InvalidInput, firstHeader(secret).getReturnCode());
    }

    @Test
    void metadataIsEncryptedInTheSdkLayoutAndAForgedValueFailsTheWholeCall() throws Exception {
        kms.generateAndWait("meta-1");
        List<String> plain = List.of("{\"a\": 1}", "", "plain secret text ü");
        EncryptMetadataResponse enc = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("meta-1").addAllPlaintextMetadata(plain).build());
        assertEquals(ReturnCode.Success, enc.getHeader().getReturnCode());
        assertEquals(3, enc.getEncryptedMetadataCount());
        try (MetadataCipher local = MetadataCipher.fromFile(kms.keyPath.resolve("meta-1"), kms.master)) {
            for (int i = 0; i < plain.size(); i++) {
                byte[] raw = enc.getEncryptedMetadata(i).toByteArray();
                assertEquals(12 + 16 + plain.get(i).getBytes(StandardCharsets.UTF_8).length, raw.length, "iv||tag||ct");
                assertEquals(plain.get(i), local.decryptString(Base64.getEncoder().encodeToString(raw)));
            }
            String made = local.encrypt("made by encrypt-metadata");
            DecryptMetadataResponse back = decrypt("meta-1", List.of(enc.getEncryptedMetadata(0).toByteArray(),
                    Base64.getDecoder().decode(made)));
            assertEquals(ReturnCode.Success, back.getHeader().getReturnCode());
            assertEquals(List.of(plain.get(0), "made by encrypt-metadata"), back.getPlaintextMetadataList());
        }
        byte[] forged = enc.getEncryptedMetadata(2).toByteArray();
        forged[forged.length - 1] ^= 1;
        DecryptMetadataResponse bad = decrypt("meta-1", List.of(enc.getEncryptedMetadata(0).toByteArray(), forged));
        assertEquals(ReturnCode.Fail, bad.getHeader().getReturnCode());
        assertEquals(0, bad.getPlaintextMetadataCount(), "the whole call fails");
        assertTrue(bad.getHeader().getErrorMessage().contains("encrypted_metadata[1]"));
        assertFalse(bad.getHeader().getErrorMessage().contains("plain secret"));
        assertFalse(bad.getHeader().getErrorMessage().contains("\"a\""));
        kms.generateAndWait("meta-other");
        DecryptMetadataResponse other = decrypt("meta-other", List.of(enc.getEncryptedMetadata(0).toByteArray()));
        assertEquals(ReturnCode.Fail, other.getHeader().getReturnCode(), "another set's key did not make it");
    }

    @Test
    void aSetWithoutMetadataKeyAnswersFailSayingSo() throws Exception {
        kms.generate(GenerateKeyRequest.newBuilder().setKeyId("nometa").setMetadataEncryptionEnabled(false));
        kms.waitReady("nometa");
        EncryptMetadataResponse r = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("nometa").addPlaintextMetadata("x").build());
        assertEquals(ReturnCode.Fail, r.getHeader().getReturnCode());
        assertTrue(r.getHeader().getErrorMessage().contains("no MetadataKey"), r.getHeader().getErrorMessage());
        assertEquals(3, details("nometa").getVersionsCount());
    }

    @Test
    void suspendedKeysRefuseUseUntilResumed() throws Exception {
        kms.generateAndWait("susp-1");
        assertEquals(ReturnCode.Success, kms.transition("susp-1", KeyState.KEY_STATE_SUSPENDED).getReturnCode());
        String expected = "key susp-1 is suspended";
        assertEquals(expected, firstHeader(DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("susp-1").setFileType(KeyFileType.KEY_FILE_TYPE_EVAL_KEY).build()).getErrorMessage());
        assertRefused(expected, "susp-1");
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, kms.status("susp-1"));
        assertEquals(ReturnCode.Success, kms.transition("susp-1", KeyState.KEY_STATE_ACTIVE).getReturnCode());
        assertEquals(1, kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("susp-1").addPlaintextMetadata("x").build())
                .getEncryptedMetadataCount());
        assertEquals(ReturnCode.InvalidInput, kms.transition("susp-1", KeyState.KEY_STATE_PREPARING).getReturnCode());
        TransitionStateRequest v2 = TransitionStateRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("susp-1")
                .setVersion(2).setNewState(KeyState.KEY_STATE_SUSPENDED).build();
        assertEquals(ReturnCode.InvalidInput, kms.call(KmsRpcs.TRANSITION_STATE, v2).getHeader().getReturnCode());
    }

    @Test
    void rotationResealsSecretsAndKeepsPublicFilesAndOldMetadata() throws Exception {
        kms.generateAndWait("rot-1");
        Path dir = kms.keyPath.resolve("rot-1");
        byte[] enc = Files.readAllBytes(dir.resolve("EncKey.json"));
        byte[] eval = Files.readAllBytes(dir.resolve("EvalKey.json"));
        byte[] sec = Files.readAllBytes(dir.resolve("SecKey.json"));
        byte[] meta = Files.readAllBytes(dir.resolve("MetadataKey.json"));
        byte[] secretBefore;
        try (var s = KeySet.load(dir, kms.master).secretKey()) {
            secretBefore = s.reveal().clone();
        }
        byte[] old = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("rot-1").addPlaintextMetadata("before rotation").build()).getEncryptedMetadata(0).toByteArray();
        assertEquals(ReturnCode.Success, kms.transition("rot-1", KeyState.KEY_STATE_ROTATING).getReturnCode());
        assertArrayEquals(enc, Files.readAllBytes(dir.resolve("EncKey.json")));
        assertArrayEquals(eval, Files.readAllBytes(dir.resolve("EvalKey.json")));
        assertFalse(Arrays.equals(sec, Files.readAllBytes(dir.resolve("SecKey.json"))), "SecKey resealed");
        assertFalse(Arrays.equals(meta, Files.readAllBytes(dir.resolve("MetadataKey.json"))), "MetadataKey resealed");
        try (var s = KeySet.load(dir, kms.master).secretKey()) {
            assertArrayEquals(secretBefore, s.reveal(), "the key material is unchanged");
        }
        assertEquals(List.of("before rotation"), decrypt("rot-1", List.of(old)).getPlaintextMetadataList());
        assertEquals(KeyState.KEY_STATE_ACTIVE, details("rot-1").getVersions(0).getState(), "back to ACTIVE");
        assertTrue(kms.audit().contains("rpc=TransitionState key_id=rot-1 result=Success"));
    }

    @Test
    void aFailedRotationRestoresTheStateAndLeavesTheSealingAsItWas() throws Exception {
        AtomicInteger rotations = new AtomicInteger();
        try (KmsFixture k = new KmsFixture(tmp.resolve("rotfail"), KmsFixture.plaintext().steps((id, step) -> {
            if (step.equals(KmsSteps.ROTATION_STARTED) && rotations.incrementAndGet() == 1) {
                throw new KeygenException(KeygenException.Kind.IO, "injected reseal failure");
            }
        }))) {
            k.generateAndWait("rf-1");
            byte[] sec = Files.readAllBytes(k.keyPath.resolve("rf-1/SecKey.json"));
            ResponseHeader h = k.transition("rf-1", KeyState.KEY_STATE_ROTATING);
            assertEquals(ReturnCode.Fail, h.getReturnCode());
            assertEquals("injected reseal failure", h.getErrorMessage());
            assertEquals(KeyState.KEY_STATE_ACTIVE, state(k, "rf-1"), "back to the state before");
            assertArrayEquals(sec, Files.readAllBytes(k.keyPath.resolve("rf-1/SecKey.json")));
            assertEquals(ReturnCode.Success, k.transition("rf-1", KeyState.KEY_STATE_ROTATING).getReturnCode());
            assertFalse(Arrays.equals(sec, Files.readAllBytes(k.keyPath.resolve("rf-1/SecKey.json"))));
        }
    }

    @Test
    void destroyDeletesTheSecretsForGoodAndLeavesDetailsAndDelete() throws Exception {
        kms.generateAndWait("dest-1");
        Path dir = kms.keyPath.resolve("dest-1");
        byte[] enc = Files.readAllBytes(dir.resolve("EncKey.json"));
        assertEquals(ReturnCode.Success, kms.transition("dest-1", KeyState.KEY_STATE_DESTROYED).getReturnCode());
        assertFalse(Files.exists(dir.resolve("SecKey.json")));
        assertFalse(Files.exists(dir.resolve("MetadataKey.json")));
        assertArrayEquals(enc, Files.readAllBytes(dir.resolve("EncKey.json")));
        GetKeyDetailsResponse d = details("dest-1");
        assertEquals(List.of(KeyType.KEY_TYPE_ENC_KEY, KeyType.KEY_TYPE_EVAL_KEY),
                d.getVersionsList().stream().map(KeyVersionRecord::getKeyType).toList());
        assertEquals(KeyState.KEY_STATE_DESTROYED, d.getVersions(0).getState());
        assertRefused("key dest-1 is destroyed", "dest-1");
        assertEquals(ReturnCode.Fail, firstHeader(DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("dest-1").setFileType(KeyFileType.KEY_FILE_TYPE_ENC_KEY).build()).getReturnCode());
        assertEquals(ReturnCode.Fail, kms.generate("dest-1").getHeader().getReturnCode());
        var status = kms.call(KmsRpcs.GET_KEY_STATUS, GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("dest-1").build()).getHeader();
        assertEquals(ReturnCode.Fail, status.getReturnCode());
        assertTrue(status.getErrorMessage().startsWith("key dest-1 is destroyed"), status.getErrorMessage());
        for (KeyState to : List.of(KeyState.KEY_STATE_ACTIVE, KeyState.KEY_STATE_ROTATING, KeyState.KEY_STATE_SUSPENDED,
                KeyState.KEY_STATE_DESTROYED)) {
            assertEquals(ReturnCode.InvalidInput, kms.transition("dest-1", to).getReturnCode(), to.name());
        }
        assertEquals(ReturnCode.Success, delete("dest-1").getReturnCode());
        assertEquals(ReturnCode.NotFoundError, details("dest-1").getHeader().getReturnCode());
        assertFalse(Files.exists(dir));
    }

    @Test
    void deleteRemovesEveryFileAndTheRecord() throws Exception {
        kms.generateAndWait("del-1");
        assertEquals(ReturnCode.Success, delete("del-1").getReturnCode());
        assertFalse(Files.exists(kms.keyPath.resolve("del-1")));
        assertFalse(Files.exists(kms.keyPath.resolve(".records/kms/del-1")));
        assertEquals(ReturnCode.NotFoundError, details("del-1").getHeader().getReturnCode());
        kms.generateAndWait("del-1"); // the id is free again
    }

    @Test
    void aSetWithoutARecordIsReadyAndActiveAndARecordWithoutFilesIsAnUnfinishedDelete() throws Exception {
        try (KeyGenerator g = KeyGenerator.builder().keyPath(kms.keyPath).keyId("adopt-1").dims(32).seal(kms.master)
                .build()) {
            g.generateKeys(); // put there by the CLI, not by the KMS
        }
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, kms.status("adopt-1"));
        assertEquals(KeyLifecycle.ADOPTED_ACTOR, kms.actor("adopt-1"));
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, kms.generate("adopt-1").getStatus());
        assertEquals(ReturnCode.Success, kms.transition("adopt-1", KeyState.KEY_STATE_SUSPENDED).getReturnCode());
        assertEquals("alice", kms.actor("adopt-1"), "the principal of the last change");
        // a crash between Delete's two steps: files gone, record left
        KeyStores.local(kms.keyPath).delete("adopt-1");
        assertEquals(ReturnCode.NotFoundError, statusCode("adopt-1"));
        assertFalse(Files.exists(kms.keyPath.resolve(".records/kms/adopt-1")), "the leftover record went");
    }

    @Test
    void healthNeedsNoToken() {
        HeartbeatResponse a = kms.call(KmsRpcs.KEY_MANAGER_HEALTH,
                HeartbeatRequest.newBuilder().setHeader(KmsFixture.header()).build(), null);
        HeartbeatResponse b = kms.call(KmsRpcs.TOP_K_HEALTH,
                HeartbeatRequest.newBuilder().setHeader(KmsFixture.header()).build(), null);
        assertEquals(ReturnCode.Success, a.getHeader().getReturnCode());
        assertEquals(ReturnCode.Success, b.getHeader().getReturnCode());
    }

    @Test
    void topKOfAnMmSetIsInvalidInput() throws Exception {
        kms.generate(GenerateKeyRequest.newBuilder().setKeyId("mm-1").setEvalMode("MM"));
        kms.waitReady("mm-1");
        var r = kms.call(KmsRpcs.TOP_K, TopKRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("mm-1")
                .setK(5).build());
        assertEquals(ReturnCode.InvalidInput, r.getHeader().getReturnCode());
        assertTrue(r.getHeader().getErrorMessage().startsWith("TopK for MM sets is not supported"));
    }

    static KeyState state(KmsFixture kms, String keyId) {
        return kms.call(KmsRpcs.GET_KEY_DETAILS, GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId(keyId).build()).getVersions(0).getState();
    }

    static int versions(KmsFixture kms, String keyId) {
        return kms.call(KmsRpcs.GET_KEY_DETAILS, GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId(keyId).build()).getVersionsCount();
    }

    private static ReturnCode statusCode(String keyId) {
        GetKeyStatusResponse r = kms.call(KmsRpcs.GET_KEY_STATUS,
                GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId).build());
        return r.getHeader().getReturnCode();
    }

    static GetKeyDetailsResponse details(String keyId) {
        return kms.call(KmsRpcs.GET_KEY_DETAILS,
                GetKeyDetailsRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId).build());
    }

    private static ResponseHeader delete(String keyId) {
        return kms.call(KmsRpcs.DELETE, DeleteRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId)
                .setReason("test").build()).getHeader();
    }

    private static DecryptMetadataResponse decrypt(String keyId, List<byte[]> values) {
        DecryptMetadataRequest.Builder b = DecryptMetadataRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId);
        values.forEach(v -> b.addEncryptedMetadata(KmsFixture.bytes(v)));
        return kms.call(KmsRpcs.DECRYPT_METADATA, b.build());
    }

    private static ReturnCode downloadError(String keyId, KeyFileType type, Integer version) {
        DownloadKeyRequest.Builder b = DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId)
                .setFileType(type);
        if (version != null) {
            b.setVersion(version);
        }
        return firstHeader(b.build()).getReturnCode();
    }

    private static ResponseHeader firstHeader(DownloadKeyRequest q) {
        Iterator<DownloadKeyResponse> it = ClientCalls.blockingServerStreamingCall(ClientInterceptors.intercept(
                kms.channel, MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))),
                KmsRpcs.DOWNLOAD_KEY, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), q);
        ResponseHeader h = it.next().getHeader();
        it.forEachRemaining(x -> { });
        return h;
    }

    /** EncryptMetadata, DecryptMetadata and TopK all answer Fail with {@code message}. */
    private static void assertRefused(String message, String keyId) {
        var e = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId(keyId).addPlaintextMetadata("x").build()).getHeader();
        var d = decrypt(keyId, List.of(new byte[40])).getHeader();
        var t = kms.call(KmsRpcs.TOP_K, TopKRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId).setK(3)
                .build()).getHeader();
        for (ResponseHeader h : List.of(e, d, t)) {
            assertEquals(ReturnCode.Fail, h.getReturnCode());
            assertTrue(h.getErrorMessage().startsWith(message), h.getErrorMessage());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
