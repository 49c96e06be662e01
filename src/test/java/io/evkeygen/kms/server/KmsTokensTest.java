package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.KeyStores;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusResponse;
import io.evkeygen.server.TestCerts;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatRequest;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 23 item 1, tokens: UNAUTHENTICATED, PERMISSION_DENIED, the principal as actor, reloads; and TLS. */
class KmsTokensTest {
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

    private static GetKeyStatusRequest status(String keyId) {
        return GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId(keyId).build();
    }

    @Test
    void aCallWithoutAValidTokenIsUnauthenticated() {
        for (String token : new String[] {null, "", "not-a-listed-token", KmsFixture.ALICE + "x"}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> kms.call(KmsRpcs.GET_KEY_STATUS, status("any"), token));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), String.valueOf(token));
        }
        assertTrue(kms.audit().lines().noneMatch(l -> l.contains("not-a-listed-token")));
        assertTrue(kms.audit().contains("principal=- rpc=GetKeyStatus key_id=- result=UNAUTHENTICATED"), kms.audit());
    }

    @Test
    void aTokenOutsideItsPrefixIsPermissionDeniedAndInsideItIsTheActor() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> kms.call(KmsRpcs.GET_KEY_STATUS, status("other-key"), KmsFixture.BOB));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertFalse(e.getStatus().getDescription().contains(KmsFixture.BOB));
        GetKeyStatusResponse r = kms.call(KmsRpcs.GET_KEY_STATUS, status("team-x"), KmsFixture.BOB);
        assertEquals(ReturnCode.NotFoundError, r.getHeader().getReturnCode(), "bob may ask about team-x");
        var gen = kms.call(KmsRpcs.GENERATE_KEY, GenerateKeyRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("team-bob").build(), KmsFixture.BOB);
        assertEquals(ReturnCode.Success, gen.getHeader().getReturnCode());
        kms.waitReady("team-bob");
        assertEquals("bob", kms.actor("team-bob"));
        assertTrue(kms.audit().contains("principal=bob rpc=GetKeyStatus key_id=other-key result=PERMISSION_DENIED"),
                kms.audit());
    }

    @Test
    void aTokenAddedToTheFileWorksWithoutARestart() throws Exception {
        String carol = "carol-token-added-later";
        assertThrows(StatusRuntimeException.class, () -> kms.call(KmsRpcs.GET_KEY_STATUS, status("c-1"), carol));
        Files.writeString(kms.tokens, "carol c- " + KmsFixture.sha(carol) + "\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(kms.tokens, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(ReturnCode.NotFoundError,
                kms.call(KmsRpcs.GET_KEY_STATUS, status("c-1"), carol).getHeader().getReturnCode());
    }

    @Test
    void aMalformedChangeKeepsThePreviousTokens() throws Exception {
        Path file = tmp.resolve("reload-tokens");
        Files.writeString(file, "dave * " + KmsFixture.sha("dave-token") + "\n");
        KmsTokens tokens = KmsTokens.load(file);
        assertEquals("dave", tokens.match("dave-token").get(0).principal());
        Files.writeString(file, "dave * not-a-hash\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("dave", tokens.match("dave-token").get(0).principal(), "the last good list stays");
        Files.writeString(file, "erin * " + KmsFixture.sha("erin-token") + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertTrue(tokens.match("dave-token").isEmpty(), "a removed token stops working");
        assertEquals("erin", tokens.match("erin-token").get(0).principal());
    }

    @Test
    void aMalformedTokensFileIsRefusedNamingTheLine() throws Exception {
        Path bad = tmp.resolve("bad-tokens");
        Files.writeString(bad, "# ok\nalice * " + KmsFixture.sha("a") + "\nbob team- NOTAHASH\n");
        KeygenException e = assertThrows(KeygenException.class, () -> KmsTokens.load(bad));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        Files.writeString(bad, "alice *\n");
        assertTrue(assertThrows(KeygenException.class, () -> KmsTokens.load(bad)).getMessage().contains("line 1"));
        assertEquals(List.of(), KmsTokens.parse(List.of("", "  # only comments"), bad));
    }

    @Test
    void tlsWithAPrivateCa() throws Exception {
        TestCerts certs = TestCerts.create(Files.createDirectories(tmp.resolve("certs")));
        try (KmsFixture tls = new KmsFixture(tmp.resolve("tls"), KmsServer.builder().tls(certs.serverPem, certs.serverKey)
                .dims(List.of(32)))) {
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", tls.server.port(),
                    TlsChannelCredentials.newBuilder().trustManager(certs.caPem.toFile()).build()).build();
            try {
                var health = ClientCalls.blockingUnaryCall(ch, KmsRpcs.KEY_MANAGER_HEALTH,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                        HeartbeatRequest.newBuilder().setHeader(KmsFixture.header()).build());
                assertEquals(ReturnCode.Success, health.getHeader().getReturnCode());
                var r = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(ch,
                        MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))),
                        KmsRpcs.GET_KEY_STATUS, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), status("t"));
                assertEquals(ReturnCode.NotFoundError, r.getHeader().getReturnCode());
            } finally {
                ch.shutdownNow();
            }
            // the TLS port refuses a plaintext client
            assertThrows(StatusRuntimeException.class, () -> tls.call(KmsRpcs.GET_KEY_STATUS, status("t")));
        }
    }

    @Test
    void plaintextOnlyOnLoopback() {
        KeygenException e = assertThrows(KeygenException.class, () -> KmsServer.builder().plaintext()
                .listen("0.0.0.0", 0).store(KeyStores.local(tmp), tmp)
                .master(kms.master).tokens(kms.tokens).build());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }
}
