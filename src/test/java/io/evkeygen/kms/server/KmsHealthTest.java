package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyStores;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatRequest;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KekProvider;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health follows the store: Success while it answers, DependencyError with its error otherwise. */
class KmsHealthTest {
    @TempDir
    Path tmp;

    @Test
    void healthIsDependencyErrorWhileTheStoreFails() throws Exception {
        Path keys = tmp.resolve("keys");
        Path tokens = tmp.resolve("tokens");
        Files.writeString(tokens, "alice * " + KmsFixture.sha(KmsFixture.ALICE) + "\n");
        FakeBrokenKeyStore store = new FakeBrokenKeyStore(KeyStores.local(keys));
        try (KekProvider master = KekProvider.aes(KmsFixture.MASTER)) {
            KmsServer server = KmsServer.builder().plaintext().listen("127.0.0.1", 0).store(store, keys).master(master)
                    .tokens(tokens).dims(List.of(32)).audit(l -> { }).build().start();
            ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                HeartbeatRequest q = HeartbeatRequest.newBuilder().setHeader(KmsFixture.header()).build();
                assertEquals(ReturnCode.Success, ClientCalls.blockingUnaryCall(ch, KmsRpcs.TOP_K_HEALTH,
                        CallOptions.DEFAULT, q).getHeader().getReturnCode());
                store.failWith = new IOException("bucket unreachable");
                var h = ClientCalls.blockingUnaryCall(ch, KmsRpcs.KEY_MANAGER_HEALTH, CallOptions.DEFAULT, q).getHeader();
                assertEquals(ReturnCode.DependencyError, h.getReturnCode());
                assertTrue(h.getErrorMessage().contains("bucket unreachable"), h.getErrorMessage());
                var status = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(ch,
                        MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))),
                        KmsRpcs.GET_KEY_STATUS, CallOptions.DEFAULT,
                        GetKeyStatusRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("k").build()).getHeader();
                assertEquals(ReturnCode.DependencyError, status.getReturnCode(), "a store failure is the store's");
                assertFalse(status.getErrorMessage().contains("\n"));
                store.failWith = null;
                assertEquals(ReturnCode.Success, ClientCalls.blockingUnaryCall(ch, KmsRpcs.KEY_MANAGER_HEALTH,
                        CallOptions.DEFAULT, q).getHeader().getReturnCode());
            } finally {
                ch.shutdownNow();
                server.shutdown(Duration.ofSeconds(5));
            }
        }
    }
}
