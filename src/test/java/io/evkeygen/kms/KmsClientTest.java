package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.evkeygen.RankedScore;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.KmsClient.KeyVersion;
import io.evkeygen.kms.KmsClient.State;
import io.evkeygen.kms.internal.proto.KmsV2;
import io.evkeygen.server.FakeTokenEndpoint;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.TestCerts;
import io.evkeygen.server.internal.proto.CommonV2;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against {@link FakeEnvectorKms} on loopback: what each RPC sends (KMS.md's table, the
 * SDK's header), what it reads, the token, the OAuth2 retry, return codes as one line, deadlines,
 * TLS with a private CA, and the download's checks.
 */
class KmsClientTest {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private FakeEnvectorKms kms() throws Exception {
        return track(FakeEnvectorKms.plaintext());
    }

    private KmsClient client(FakeEnvectorKms k) {
        return track(KmsClient.builder(k.address()).insecure().build());
    }

    /** A "key set" of arbitrary bytes: the client never parses what it downloads. */
    private Path files(int encBytes, int evalBytes, long seed) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "set");
        Random r = new Random(seed);
        byte[] enc = new byte[encBytes];
        byte[] eval = new byte[evalBytes];
        r.nextBytes(enc);
        r.nextBytes(eval);
        Files.write(dir.resolve("EncKey.json"), enc);
        Files.write(dir.resolve("EvalKey.json"), eval);
        return dir;
    }

    @Test
    void generateKeySendsOnlyWhatTheCallerGaveWithTheSdksHeader() throws Exception {
        FakeEnvectorKms k = kms();
        KmsClient c = client(k);
        long before = Instant.now().getEpochSecond();
        KmsClient.Generation g = c.generateKey("k1", KeySpec.DEFAULTS);
        assertEquals(new KmsClient.Generation("k1", 1, KmsClient.Status.PENDING), g);
        KmsV2.GenerateKeyRequest q = k.requests(KmsV2.GenerateKeyRequest.class).get(0);
        assertEquals("k1", q.getKeyId());
        assertFalse(q.hasPreset());
        assertFalse(q.hasEvalMode());
        assertFalse(q.hasMetadataEncryptionEnabled());
        assertTrue(q.getSeed().isEmpty());
        CommonV2.RequestHeader h = q.getHeader();
        assertTrue(h.getId().matches("[0-9a-f]{16}"), h.getId());
        assertEquals(0, h.getTypeValue());
        assertTrue(h.getTimestamp() >= before && h.getTimestamp() <= Instant.now().getEpochSecond(),
                "seconds, not milliseconds: " + h.getTimestamp());

        byte[] seed = new byte[64];
        seed[0] = 7;
        c.generateKey("k2", new KeySpec("IP1", "MM", false, seed));
        q = k.requests(KmsV2.GenerateKeyRequest.class).get(1);
        assertEquals("IP1", q.getPreset());
        assertEquals("MM", q.getEvalMode());
        assertTrue(q.hasMetadataEncryptionEnabled());
        assertFalse(q.getMetadataEncryptionEnabled());
        assertArrayEquals(seed, q.getSeed().toByteArray());
        assertNotEquals(h.getId(), q.getHeader().getId(), "a fresh id per call");
        assertEquals(List.of(), k.violations);
    }

    @Test
    void aSeedThatIsNot64BytesIsRefusedBeforeAnyCall() throws Exception {
        FakeEnvectorKms k = kms();
        KeygenException e = assertThrows(KeygenException.class,
                () -> client(k).generateKey("k", new KeySpec(null, null, null, new byte[32])));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals(List.of(), k.requests);
    }

    @Test
    void statusDetailsAndWaitReadWhatTheKmsSays() throws Exception {
        FakeEnvectorKms k = kms();
        k.pendingPolls = 2;
        KmsClient c = client(k);
        c.generateKey("k", KeySpec.DEFAULTS);
        assertEquals(KmsClient.Status.PENDING, c.keyStatus("k"));
        c.waitForKey("k", Duration.ofSeconds(30)); // PENDING once more, then READY
        assertEquals(List.of("GenerateKey k", "GetKeyStatus k", "GetKeyStatus k", "GetKeyStatus k"), k.calls);
        assertEquals(KmsClient.Status.READY, c.keyStatus("k"));
        List<KeyVersion> v = c.keyDetails("k");
        assertEquals(List.of("SECRET_KEY", "ENC_KEY", "EVAL_KEY", "METADATA_KEY"),
                v.stream().map(KeyVersion::keyType).toList());
        assertEquals(new KeyVersion(1, "ACTIVE", "SECRET_KEY", "2026-12-06T10:00:00Z", "2026-12-06T10:00:01Z",
                "tester"), v.get(0));
        assertEquals("k", k.requests(KmsV2.GetKeyDetailsRequest.class).get(0).getKeyId());

        ServerException absent = assertThrows(ServerException.class, () -> c.keyDetails("nope"));
        assertEquals("KMS GetKeyDetails failed (return_code=5 NotFoundError): no key nope", absent.getMessage());
        assertEquals(Optional.of("NotFoundError"), absent.returnCode());
        assertEquals(KeygenException.Kind.STORE, absent.kind());
        assertEquals(List.of(), k.violations);
    }

    @Test
    void aKeyStillPendingAtTheEndOfTheWaitIsAnError() throws Exception {
        FakeEnvectorKms k = kms();
        k.pendingPolls = 1_000_000;
        KmsClient c = client(k);
        c.generateKey("slow", KeySpec.DEFAULTS);
        ServerException e = assertThrows(ServerException.class, () -> c.waitForKey("slow", Duration.ofSeconds(1)));
        assertEquals("KMS key slow is still PENDING after 1 s", e.getMessage());
    }

    @Test
    void theKmsIsNotAskedForTheStandardHealthService() throws Exception {
        FakeEnvectorKms k = kms();
        KmsClient c = client(k);
        c.generateKey("k", KeySpec.DEFAULTS);
        c.keyStatus("k");
        assertEquals(List.of(), k.unknownCalls);
        assertEquals(List.of("GenerateKey k", "GetKeyStatus k"), k.calls);
    }

    @Test
    void aFailedGenerationEndsTheWait() throws Exception {
        FakeEnvectorKms k = kms();
        k.pendingPolls = 0;
        k.failGenerations = true;
        KmsClient c = client(k);
        c.generateKey("k", KeySpec.DEFAULTS);
        ServerException e = assertThrows(ServerException.class, () -> c.waitForKey("k", Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    }

    @Test
    void downloadStreamsEveryChunkInOrderWithTheFileTypeAndNoVersion() throws Exception {
        FakeEnvectorKms k = kms();
        k.chunkSize = 1000;
        Path dir = files(2500, 10_001, 1);
        k.preload("k", dir);
        KmsClient c = client(k);
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        assertEquals(2500, c.download("k", KeyFile.ENC_KEY, enc));
        assertArrayEquals(Files.readAllBytes(dir.resolve("EncKey.json")), enc.toByteArray());
        ByteArrayOutputStream eval = new ByteArrayOutputStream();
        assertEquals(10_001, c.download("k", KeyFile.EVAL_KEY, eval));
        assertArrayEquals(Files.readAllBytes(dir.resolve("EvalKey.json")), eval.toByteArray());
        List<KmsV2.DownloadKeyRequest> q = k.requests(KmsV2.DownloadKeyRequest.class);
        assertEquals(List.of(KmsV2.KeyFileType.KEY_FILE_TYPE_ENC_KEY, KmsV2.KeyFileType.KEY_FILE_TYPE_EVAL_KEY),
                q.stream().map(KmsV2.DownloadKeyRequest::getFileType).toList());
        assertFalse(q.get(0).hasVersion());
        assertEquals(List.of(), k.violations);

        k.chunkAfterEof = true; // what follows the first eof is not read, as the SDK
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(10_001, c.download("k", KeyFile.EVAL_KEY, again));
        assertArrayEquals(eval.toByteArray(), again.toByteArray());
    }

    @Test
    void aDownloadWithoutEofOrWithAFailedChunkOrBeyondTheCapIsRefused() throws Exception {
        FakeEnvectorKms k = kms();
        k.chunkSize = 1000;
        k.preload("k", files(100, 5000, 2));
        KmsClient c = client(k);
        k.omitEof = true;
        ServerException noEof = assertThrows(ServerException.class,
                () -> c.download("k", KeyFile.EVAL_KEY, new ByteArrayOutputStream()));
        assertEquals("KMS DownloadKey of k/EvalKey.json ended after 5000 bytes without eof: the download is incomplete",
                noEof.getMessage());
        k.omitEof = false;

        k.badChunkIndex = 2;
        k.badChunkCode = 12;
        ServerException bad = assertThrows(ServerException.class,
                () -> c.download("k", KeyFile.EVAL_KEY, new ByteArrayOutputStream()));
        assertEquals("KMS DownloadKey failed (return_code=12 DependencyError): chunk failed", bad.getMessage());
        k.badChunkIndex = -1;

        KmsClient capped = track(KmsClient.builder(k.address()).insecure().maxDownloadBytes(4000).build());
        ServerException big = assertThrows(ServerException.class,
                () -> capped.download("k", KeyFile.EVAL_KEY, new ByteArrayOutputStream()));
        assertEquals("KMS DownloadKey of k/EvalKey.json is larger than 4000 bytes: refused", big.getMessage());

        k.keys.get("k").state = KmsV2.KeyState.KEY_STATE_SUSPENDED;
        ServerException suspended = assertThrows(ServerException.class,
                () -> c.download("k", KeyFile.ENC_KEY, new ByteArrayOutputStream()));
        assertEquals("KMS DownloadKey failed (return_code=2 Fail): key k is suspended", suspended.getMessage());
    }

    @Test
    void closingADownloadEarlyCancelsIt() throws Exception {
        FakeEnvectorKms k = kms();
        k.chunkSize = 1000;
        Path dir = files(10, 50_000, 3);
        k.preload("k", dir);
        KmsClient c = client(k);
        byte[] expected = Files.readAllBytes(dir.resolve("EvalKey.json"));
        try (InputStream in = c.openDownload("k", KeyFile.EVAL_KEY)) {
            assertEquals(expected[0] & 0xff, in.read());
            byte[] next = in.readNBytes(1500); // across a chunk boundary
            assertArrayEquals(Arrays.copyOfRange(expected, 1, 1501), next);
            assertEquals(expected[1501] & 0xff, in.read());
        }
        // the channel is still usable afterwards
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        assertEquals(50_000, c.download("k", KeyFile.EVAL_KEY, all));
    }

    @Test
    void transitionsAndDeleteSendTheStateAndTheReasonButNoVersion() throws Exception {
        FakeEnvectorKms k = kms();
        k.preload("k", files(1, 1, 4));
        KmsClient c = client(k);
        c.suspend("k", "audit");
        assertEquals(KmsV2.KeyState.KEY_STATE_SUSPENDED, k.keys.get("k").state);
        c.resume("k", "done");
        c.rotate("k", "yearly");
        c.destroy("k", "retired");
        assertEquals(List.of("KEY_STATE_SUSPENDED audit", "KEY_STATE_ACTIVE done", "KEY_STATE_ROTATING yearly",
                "KEY_STATE_DESTROYED retired"), k.keys.get("k").transitions);
        for (KmsV2.TransitionStateRequest q : k.requests(KmsV2.TransitionStateRequest.class)) {
            assertEquals(0, q.getVersion());
            assertEquals("k", q.getKeyId());
        }
        ServerException again = assertThrows(ServerException.class, () -> c.resume("k", "x"));
        assertEquals("KMS TransitionState failed (return_code=4 InvalidInput): key k is destroyed", again.getMessage());

        c.delete("k", "cleanup");
        KmsV2.DeleteRequest d = k.requests(KmsV2.DeleteRequest.class).get(0);
        assertEquals("cleanup", d.getReason());
        assertFalse(k.keys.containsKey("k"));
        assertEquals(List.of(), k.violations);
    }

    @Test
    void metadataRoundTripsThroughTheKmsInOrder() throws Exception {
        FakeEnvectorKms k = kms();
        k.preload("k", files(1, 1, 5));
        KmsClient c = client(k);
        List<String> values = List.of("{\"a\":1}", "", "résumé");
        List<byte[]> sealed = c.encryptMetadata("k", values);
        assertEquals(3, sealed.size());
        assertEquals(12 + 16 + "{\"a\":1}".length(), sealed.get(0).length, "iv || tag || ciphertext");
        assertEquals(values, k.requests(KmsV2.EncryptMetadataRequest.class).get(0).getPlaintextMetadataList());
        assertEquals(values, c.decryptMetadata("k", sealed));
        assertEquals(sealed.stream().map(ByteString::copyFrom).toList(),
                k.requests(KmsV2.DecryptMetadataRequest.class).get(0).getEncryptedMetadataList());

        byte[] changed = sealed.get(0).clone();
        changed[changed.length - 1] ^= 1;
        ServerException e = assertThrows(ServerException.class, () -> c.decryptMetadata("k", List.of(changed)));
        assertEquals("KMS DecryptMetadata failed (return_code=2 Fail): a metadata ciphertext does not authenticate",
                e.getMessage());
    }

    @Test
    void topKSendsTheCiphertextsKAndOnlyTheOptionalFieldsGiven() throws Exception {
        FakeEnvectorKms k = kms();
        k.preload("k", files(1, 1, 6));
        k.topKResults = List.of(KmsV2.TopKResult.newBuilder().setScore(0.75f).setMetadataIdx(
                CommonV2.MetadataIdx.newBuilder().setShardIdx(2).setRowIdx(9)).build());
        KmsClient c = client(k);
        List<RankedScore> r = c.topK("k", List.of(new KmsClient.Ciphertext(4096, new byte[] {0, 1, 2})), 5, null,
                List.of());
        assertEquals(List.of(new RankedScore(0.75f, 2, 9)), r);
        KmsV2.TopKRequest q = k.requests(KmsV2.TopKRequest.class).get(0);
        assertEquals(5, q.getK());
        assertFalse(q.hasScoreThreshold());
        assertEquals(0, q.getShardIndicesCount());
        assertEquals(4096, q.getEncryptedScores(0).getDegree());
        assertArrayEquals(new byte[] {0, 1, 2}, q.getEncryptedScores(0).getData().toByteArray());

        c.topKOf("k", List.of(new byte[] {3}, new byte[] {4}), 1, 0.5f, List.of(7L, 8L));
        q = k.requests(KmsV2.TopKRequest.class).get(1);
        assertEquals(0.5f, q.getScoreThreshold());
        assertEquals(List.of(7L, 8L), q.getShardIndicesList());
        assertEquals(2, q.getEncryptedScoresCount());
        assertThrows(KeygenException.class, () -> c.topK("k", List.of(), 0, null, null));
    }

    @Test
    void healthAsksBothServicesAndReportsANonSuccessCodeAsUnhealthy() throws Exception {
        FakeEnvectorKms k = kms();
        KmsClient c = client(k);
        assertTrue(c.health());
        assertEquals(List.of("Health", "Health"), k.calls);
        k.healthCode = 12;
        assertFalse(c.health());
    }

    @Test
    void theTokenGoesOnEveryCallAndAStaticTokenIsNeverRetried() throws Exception {
        FakeEnvectorKms k = kms();
        k.requireToken = true;
        k.acceptedTokens.add("Bearer tok-1");
        k.preload("k", files(10, 10, 7));
        KmsClient c = track(KmsClient.builder(k.address()).insecure().auth(ServerAuth.token("tok-1")).build());
        c.keyStatus("k");
        c.keyDetails("k");
        c.download("k", KeyFile.ENC_KEY, new ByteArrayOutputStream());
        c.encryptMetadata("k", List.of("x"));
        c.health();
        assertEquals(6, k.authorizations.size());
        assertTrue(k.authorizations.stream().allMatch(a -> a.endsWith("=Bearer tok-1")), k.authorizations.toString());

        KmsClient wrong = track(KmsClient.builder(k.address()).insecure().auth(ServerAuth.token("tok-2")).build());
        int before = k.authorizations.size();
        ServerException e = assertThrows(ServerException.class, () -> wrong.keyStatus("k"));
        assertEquals(Optional.of("UNAUTHENTICATED"), e.grpcStatus());
        assertEquals(before + 1, k.authorizations.size(), "no retry without OAuth2");
        assertFalse(e.getMessage().contains("tok-2"));
        k.authErrorOnce = true;
        ServerException code14 = assertThrows(ServerException.class, () -> c.keyStatus("k"));
        assertEquals(Optional.of("AuthenticationError"), code14.returnCode());
    }

    @Test
    void oauth2RefreshesAndRetriesOnceOnUnauthenticatedAndOnAuthenticationError() throws Exception {
        FakeEnvectorKms k = kms();
        k.requireToken = true;
        k.acceptedTokens.add("Bearer fresh-2");
        k.preload("k", files(10, 3000, 8));
        k.chunkSize = 1000;
        try (FakeTokenEndpoint idp = new FakeTokenEndpoint("r0", "expired-1", "fresh-2", "fresh-3", "fresh-4",
                "fresh-5")) {
            ServerAuth auth = ServerAuth.oauth2(idp.tokenUri(), false, "evkeygen-test", null, null, "r0");
            KmsClient c = track(KmsClient.builder(k.address()).insecure().auth(auth).build());
            assertEquals(KmsClient.Status.READY, c.keyStatus("k")); // expired-1 refused, refreshed to fresh-2, retried
            assertEquals(List.of("GetKeyStatus=Bearer expired-1", "GetKeyStatus=Bearer fresh-2"), k.authorizations);
            assertEquals(2, idp.requests.size());

            k.acceptedTokens.add("Bearer fresh-3");
            k.authErrorOnce = true; // return code 14 on a stream's first reply: refreshed and the stream restarted
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(3000, c.download("k", KeyFile.EVAL_KEY, out));
            assertEquals(3, idp.requests.size());
            assertEquals("DownloadKey=Bearer fresh-3", k.authorizations.get(k.authorizations.size() - 1));

            k.acceptedTokens.add("Bearer fresh-4");
            k.failNextWith("GetKeyDetails", Status.PERMISSION_DENIED); // also refreshed and retried
            assertEquals(4, c.keyDetails("k").size());
            assertEquals(4, idp.requests.size());

            k.acceptedTokens.clear();
            ServerException e = assertThrows(ServerException.class, () -> c.keyDetails("k"));
            assertEquals(Optional.of("UNAUTHENTICATED"), e.grpcStatus());
            assertEquals(5, idp.requests.size(), "one refresh, no second retry");
        }
    }

    @Test
    void aNonSuccessReplyIsOneEscapedLineNamingTheRpcAndTheCode() throws Exception {
        FakeEnvectorKms k = kms();
        KmsClient c = client(k);
        k.failNext("GenerateKey", 4, "preset IP3 is not public:\npass preset=\"IP1\"\u001b[31m");
        ServerException e = assertThrows(ServerException.class, () -> c.generateKey("k", KeySpec.DEFAULTS));
        assertEquals("GenerateKey", e.rpc());
        assertEquals(Optional.of("InvalidInput"), e.returnCode());
        assertTrue(e.getMessage().startsWith("KMS GenerateKey failed (return_code=4 InvalidInput): preset IP3"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());

        k.failNext("GetKeyStatus", 99, "odd");
        ServerException odd = assertThrows(ServerException.class, () -> c.keyStatus("k"));
        assertEquals("KMS GetKeyStatus failed (return_code=99 unknown): odd", odd.getMessage());
    }

    @Test
    void everyCallHasADeadline() throws Exception {
        FakeEnvectorKms k = kms();
        k.neverAnswer = true;
        KmsClient c = track(KmsClient.builder(k.address()).insecure().callTimeout(Duration.ofMillis(300)).build());
        ServerException e = assertThrows(ServerException.class, () -> c.keyStatus("k"));
        assertEquals(Optional.of("DEADLINE_EXCEEDED"), e.grpcStatus());
        assertTrue(e.getMessage().contains("deadline exceeded"), e.getMessage());

        k.neverAnswer = false;
        k.stallDownloads = true;
        k.chunkSize = 100;
        k.preload("k", files(10, 1000, 9));
        KmsClient d = track(KmsClient.builder(k.address()).insecure().downloadTimeout(Duration.ofMillis(300)).build());
        ServerException stalled = assertThrows(ServerException.class,
                () -> d.download("k", KeyFile.EVAL_KEY, new ByteArrayOutputStream()));
        assertEquals(Optional.of("DEADLINE_EXCEEDED"), stalled.grpcStatus());
        assertThrows(KeygenException.class, () -> KmsClient.builder(k.address()).callTimeout(Duration.ZERO));
    }

    @Test
    void tlsWithThePrivateCaWorksAndAnotherCaIsRefused() throws Exception {
        TestCerts certs = TestCerts.create(Files.createDirectory(tmp.resolve("ca")));
        TestCerts other = TestCerts.create(Files.createDirectory(tmp.resolve("other")));
        FakeEnvectorKms k = track(FakeEnvectorKms.tls(certs.serverCredentials()));
        KmsClient good = track(KmsClient.builder(k.address()).caCert(certs.caPem).build());
        assertTrue(good.health());
        KmsClient bad = track(KmsClient.builder(k.address()).caCert(other.caPem).build());
        ServerException e = assertThrows(ServerException.class, bad::health);
        assertTrue(e.getMessage().startsWith("TLS handshake with " + k.address() + " failed"), e.getMessage());
        KmsClient plain = track(KmsClient.builder(k.address()).insecure().build());
        assertThrows(ServerException.class, plain::health);
    }

    @Test
    void plaintextToAnotherHostIsRefusedUnlessAllowed() {
        KeygenException e = assertThrows(KeygenException.class,
                () -> KmsClient.builder("10.1.2.3:443").insecure().build());
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
        List<String> warned = new ArrayList<>();
        track(KmsClient.builder("10.1.2.3:443").insecure().allowPlaintextRemote(true).warnings(warned::add).build());
        assertEquals(1, warned.size());
        KeygenException addr = assertThrows(KeygenException.class, () -> KmsClient.builder("nohost"));
        assertEquals("KMS address 'nohost' is not HOST:PORT", addr.getMessage());
    }

    @Test
    void headerIdsAreFreshAndEveryRequestHasOne() throws Exception {
        FakeEnvectorKms k = kms();
        k.preload("k", files(1, 1, 10));
        KmsClient c = client(k);
        for (int i = 0; i < 20; i++) {
            c.keyStatus("k");
        }
        Set<String> ids = new HashSet<>();
        k.requests(KmsV2.GetKeyStatusRequest.class).forEach(q -> ids.add(q.getHeader().getId()));
        assertEquals(20, ids.size());
        assertEquals(List.of(), k.violations);
    }

    @Test
    void aCallThatFailsWithAGrpcStatusNamesTheRpc() throws Exception {
        FakeEnvectorKms k = kms();
        KmsClient c = client(k);
        k.failNextWith("Delete", Status.UNAVAILABLE.withDescription("draining"));
        ServerException e = assertThrows(ServerException.class, () -> c.delete("k", "r"));
        assertEquals(Optional.of(Status.Code.UNAVAILABLE.name()), e.grpcStatus());
        assertEquals("Delete to " + k.address() + " failed: UNAVAILABLE: draining", e.getMessage());
    }
}
