package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.MetadataCipher;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.server.TestCerts;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KekProvider;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23 items 1, 4 and 6 with real processes: two server processes sharing one key path generate
 * one set; a server killed (halted, as kill -9) during a generation or a rotation and then restarted
 * leaves no half set and loses nothing; {@code evkeygen kms serve} writes its port file and listening
 * line and exits 0 on SIGTERM.
 */
class KmsProcessTest {
    private static final long LEASE_MS = 1500;

    @TempDir
    Path tmp;

    private Path tokens() throws Exception {
        Path t = tmp.resolve("tokens");
        Files.writeString(t, "alice * " + KmsFixture.sha(KmsFixture.ALICE) + "\n");
        return t;
    }

    private static GenerateKeyResponse generate(KmsProcesses.Child c, String keyId) {
        return c.call(KmsRpcs.GENERATE_KEY, GenerateKeyRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId(keyId).build());
    }

    private static KeyGenStatus status(KmsProcesses.Child c, String keyId) {
        return c.call(KmsRpcs.GET_KEY_STATUS, GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId(keyId).build()).getStatus();
    }

    private static KeyGenStatus awaitSettled(KmsProcesses.Child c, String keyId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            KeyGenStatus s = status(c, keyId);
            if (s != KeyGenStatus.KEY_GEN_STATUS_PENDING) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(keyId + " stayed PENDING");
    }

    @Test
    void twoServerProcessesSharingAKeyPathGenerateOneSet() throws Exception {
        Path keys = tmp.resolve("keys");
        Path tokens = tokens();
        try (KmsProcesses.Child a = KmsProcesses.server(tmp, "a", keys, tokens, "none", 30_000, List.of(), 32);
             KmsProcesses.Child b = KmsProcesses.server(tmp, "b", keys, tokens, "none", 30_000, List.of(), 32)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<GenerateKeyResponse> answers = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<GenerateKeyResponse>> fs = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    KmsProcesses.Child target = i % 2 == 0 ? a : b;
                    fs.add(pool.submit(() -> {
                        go.await();
                        return generate(target, "shared-1");
                    }));
                }
                go.countDown();
                for (Future<GenerateKeyResponse> f : fs) {
                    answers.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, awaitSettled(a, "shared-1"));
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, status(b, "shared-1"));
            assertEquals(1, answers.stream().filter(x -> x.getStatus() == KeyGenStatus.KEY_GEN_STATUS_PENDING
                    && x.getHeader().getReturnCode() == ReturnCode.Success).count(), "one generation started");
            for (GenerateKeyResponse x : answers) {
                assertTrue(x.getHeader().getReturnCode() == ReturnCode.Success
                        || x.getHeader().getErrorMessage().contains("already in progress"), x.toString());
            }
            KeySet.load(keys.resolve("shared-1"), KekProvider.aes(KmsFixture.MASTER));
            assertEquals(Set.of("shared-1"), names(keys), "one set, no staging left");
        }
    }

    /** A server dies as a generation starts (nothing saved) or right after the save (record still PENDING). */
    @ParameterizedTest
    @ValueSource(strings = {KmsSteps.GENERATION_STARTED, KmsSteps.GENERATION_SAVED})
    void killDuringGenerationThenRestart(String step) throws Exception {
        Path keys = tmp.resolve("keys");
        Path tokens = tokens();
        try (KmsProcesses.Child doomed = KmsProcesses.server(tmp, "doomed", keys, tokens, step, LEASE_MS, List.of(), 32)) {
            try {
                generate(doomed, "crash-gen");
            } catch (RuntimeException expected) {
                // the server may die before its PENDING answer leaves
            }
            assertEquals(137, doomed.awaitExit(), "the server died at " + step);
        }
        try (KmsProcesses.Child next = KmsProcesses.server(tmp, "next", keys, tokens, "none", LEASE_MS, List.of(), 32)) {
            KeyGenStatus settled = awaitSettled(next, "crash-gen");
            if (step.equals(KmsSteps.GENERATION_SAVED)) {
                assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, settled, "the saved set is not lost");
            } else {
                assertEquals(KeyGenStatus.KEY_GEN_STATUS_FAILED, settled, "abandoned once the lease expired");
                assertFalse(Files.exists(keys.resolve("crash-gen/SecKey.json")), "no half set");
                assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, generate(next, "crash-gen").getStatus(),
                        "a failed generation may run again");
                assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, awaitSettled(next, "crash-gen"));
            }
            KeySet.load(keys.resolve("crash-gen"), KekProvider.aes(KmsFixture.MASTER)); // whole and verified
            assertEquals(Set.of("crash-gen"), names(keys), "no staging directory left behind");
        }
    }

    /** A server dies with the record ROTATING, before or after the reseal; a restart finds the key ACTIVE and whole. */
    @ParameterizedTest
    @ValueSource(strings = {KmsSteps.ROTATION_STARTED, KmsSteps.ROTATION_RESEALED})
    void killDuringRotationThenRestart(String step) throws Exception {
        Path keys = tmp.resolve("keys");
        Path tokens = tokens();
        byte[] enc;
        byte[] eval;
        byte[] secret;
        byte[] oldMetadata;
        try (KmsProcesses.Child doomed = KmsProcesses.server(tmp, "doomed", keys, tokens, step, LEASE_MS, List.of(), 32)) {
            generate(doomed, "crash-rot");
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, awaitSettled(doomed, "crash-rot"));
            enc = Files.readAllBytes(keys.resolve("crash-rot/EncKey.json"));
            eval = Files.readAllBytes(keys.resolve("crash-rot/EvalKey.json"));
            secret = secretKey(keys.resolve("crash-rot"));
            oldMetadata = doomed.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                    .setHeader(KmsFixture.header()).setKeyId("crash-rot").addPlaintextMetadata("kept").build())
                    .getEncryptedMetadata(0).toByteArray();
            try {
                doomed.call(KmsRpcs.TRANSITION_STATE, TransitionStateRequest.newBuilder().setHeader(KmsFixture.header())
                        .setKeyId("crash-rot").setNewState(KeyState.KEY_STATE_ROTATING).build());
            } catch (RuntimeException expected) {
                // the server died mid-call
            }
            assertEquals(137, doomed.awaitExit());
        }
        Path dir = keys.resolve("crash-rot");
        assertArrayEquals(secret, secretKey(dir), "the set opens with the master key: old or new sealing, never neither");
        try (KmsProcesses.Child next = KmsProcesses.server(tmp, "next", keys, tokens, "none", LEASE_MS, List.of(), 32)) {
            Thread.sleep(LEASE_MS + 500);
            assertEquals(KeyState.KEY_STATE_ACTIVE, next.call(KmsRpcs.GET_KEY_DETAILS, GetKeyDetailsRequest.newBuilder()
                    .setHeader(KmsFixture.header()).setKeyId("crash-rot").build()).getVersions(0).getState());
            var decrypted = next.call(KmsRpcs.DECRYPT_METADATA,
                    DecryptMetadataRequest.newBuilder()
                            .setHeader(KmsFixture.header()).setKeyId("crash-rot")
                            .addEncryptedMetadata(KmsFixture.bytes(oldMetadata)).build());
            assertEquals(List.of("kept"), decrypted.getPlaintextMetadataList());
            // and it rotates again, to completion
            assertEquals(ReturnCode.Success, next.call(KmsRpcs.TRANSITION_STATE, TransitionStateRequest.newBuilder()
                    .setHeader(KmsFixture.header()).setKeyId("crash-rot").setNewState(KeyState.KEY_STATE_ROTATING)
                    .build()).getHeader().getReturnCode());
        }
        assertArrayEquals(enc, Files.readAllBytes(dir.resolve("EncKey.json")));
        assertArrayEquals(eval, Files.readAllBytes(dir.resolve("EvalKey.json")));
        assertArrayEquals(secret, secretKey(dir));
        try (MetadataCipher c = MetadataCipher.fromFile(dir, KekProvider.aes(KmsFixture.MASTER))) {
            assertEquals("kept", c.decryptString(Base64.getEncoder().encodeToString(oldMetadata)));
        }
    }

    @Test
    void theServeCommandWritesItsPortAndListeningLineAndExitsZeroOnSigterm() throws Exception {
        Path keys = tmp.resolve("keys");
        Path kek = tmp.resolve("master.key");
        Files.write(kek, KmsFixture.MASTER);
        Path tokens = tmp.resolve("tokens");
        Process add = new ProcessBuilder(KmsProcesses.java(), "-cp", System.getProperty("java.class.path"),
                "io.evkeygen.cli.Main", "kms", "add-token", "carol", "*", "--tokens", tokens.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(add.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, add.waitFor());
        assertEquals(43, token.length(), "32 random bytes, URL-safe base64");
        String line = Files.readString(tokens).strip();
        assertEquals("carol * " + KmsFixture.sha(token), line, "only the hash is stored");
        if (OwnerOnly.posix(tmp)) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tokens)));
        }
        Path portFile = tmp.resolve("serve.port");
        List<String> cmd = List.of(KmsProcesses.java(), "-cp", System.getProperty("java.class.path"),
                "io.evkeygen.cli.Main", "kms", "serve", "--listen", "127.0.0.1:0", "--port_file", portFile.toString(),
                "--plaintext", "--key_path", keys.toString(), "--seal_key_path", kek.toString(),
                "--tokens", tokens.toString(), "--dim", "32", "--drain_seconds", "20");
        Path log = tmp.resolve("serve.log");
        try (KmsProcesses.Child serve = KmsProcesses.start(cmd, portFile, log)) {
            GenerateKeyResponse r = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(
                    serve.channel(), MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(token))),
                    KmsRpcs.GENERATE_KEY, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    GenerateKeyRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("served").build());
            assertEquals(KeyGenStatus.KEY_GEN_STATUS_PENDING, r.getStatus());
            awaitSettled(serve, token, "served");
            // a download in flight when SIGTERM comes is drained to its end; then the server exits 0
            Iterator<DownloadKeyResponse> stream = ClientCalls.blockingServerStreamingCall(ClientInterceptors.intercept(
                    serve.channel(), MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(token))),
                    KmsRpcs.DOWNLOAD_KEY, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("served")
                            .setFileType(KeyFileType.KEY_FILE_TYPE_EVAL_KEY).build());
            DownloadKeyResponse first = stream.next();
            assertFalse(first.getEof(), "the EvalKey takes several chunks");
            serve.process().destroy(); // SIGTERM
            long received = first.getContent().size();
            boolean eof = false;
            while (stream.hasNext()) {
                DownloadKeyResponse c = stream.next();
                received += c.getContent().size();
                eof = c.getEof();
            }
            assertTrue(eof, "the in-flight call finished");
            assertEquals(Files.size(keys.resolve("served/EvalKey.json")), received);
            assertEquals(0, serve.awaitExit(), Files.readString(log));
            List<String> lines = Files.readAllLines(log);
            assertEquals("kms listening on 127.0.0.1:" + serve.port(), lines.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.matches("kms-audit \\S+ principal=carol rpc=GenerateKey"
                    + " key_id=served result=Success")), lines.toString());
            assertFalse(Files.readString(log).contains(token), "the token is never logged");
        }
    }

    @Test
    void theServeCommandWithTlsWritesItsAuditLinesToTheAuditLog() throws Exception {
        TestCerts certs = TestCerts.create(Files.createDirectories(tmp.resolve("certs")));
        Path kek = tmp.resolve("master.key");
        Files.write(kek, KmsFixture.MASTER);
        Path portFile = tmp.resolve("tls.port");
        Path audit = tmp.resolve("audit.log");
        List<String> cmd = List.of(KmsProcesses.java(), "-cp", System.getProperty("java.class.path"),
                "io.evkeygen.cli.Main", "kms", "serve", "--listen", "localhost:0", "--port_file", portFile.toString(),
                "--tls_cert", certs.serverPem.toString(), "--tls_key", certs.serverKey.toString(),
                "--key_path", tmp.resolve("keys").toString(), "--seal_key_path", kek.toString(),
                "--tokens", tokens().toString(), "--audit_log", audit.toString());
        try (KmsProcesses.Child serve = KmsProcesses.start(cmd, portFile, tmp.resolve("tls.log"))) {
            ManagedChannel tls = Grpc.newChannelBuilderForAddress("localhost", serve.port(),
                    TlsChannelCredentials.newBuilder().trustManager(certs.caPem.toFile()).build()).build();
            try {
                var r = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(tls,
                        MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))),
                        KmsRpcs.GET_KEY_STATUS, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                        GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("nothing").build());
                assertEquals(ReturnCode.NotFoundError, r.getHeader().getReturnCode());
            } finally {
                tls.shutdownNow();
            }
            serve.process().destroy();
            assertEquals(0, serve.awaitExit());
            assertEquals(List.of("kms listening on localhost:" + serve.port()), Files.readAllLines(serve.log()));
            List<String> lines = Files.readAllLines(audit);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).endsWith(" principal=alice rpc=GetKeyStatus key_id=nothing result=NotFoundError"),
                    lines.get(0));
        }
    }

    private static void awaitSettled(KmsProcesses.Child c, String token, String keyId) throws InterruptedException {
        for (int i = 0; i < 6000; i++) {
            KeyGenStatus s = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(c.channel(),
                    MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(token))), KmsRpcs.GET_KEY_STATUS,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), GetKeyStatusRequest.newBuilder()
                            .setHeader(KmsFixture.header()).setKeyId(keyId).build()).getStatus();
            if (s == KeyGenStatus.KEY_GEN_STATUS_READY) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(keyId + " not READY");
    }

    private static byte[] secretKey(Path dir) throws Exception {
        try (KekProvider master = KekProvider.aes(KmsFixture.MASTER);
             SecretBytes s = KeySet.load(dir, master).secretKey()) {
            return s.reveal().clone();
        }
    }

    private static Set<String> names(Path keys) throws Exception {
        try (Stream<Path> s = Files.list(keys)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".records"))
                    .collect(Collectors.toSet());
        }
    }
}
