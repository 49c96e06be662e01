package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import com.google.protobuf.ByteString;
import io.evkeygen.KeyStores;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateResponse;
import io.evkeygen.server.internal.proto.CommonV2.RequestHeader;
import io.evkeygen.server.internal.proto.CommonV2.ResponseHeader;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.testutil.SealTestKeys;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A KMS on loopback over a local key path, and a caller that sends exactly what the Python SDK's
 * {@code KMSClient} sends (KMS.md): a header whose id is 16 lowercase hex characters and whose
 * timestamp is Unix seconds, type unset, and {@code authorization: Bearer <token>}.
 */
final class KmsFixture implements AutoCloseable {
    static final String ALICE = "alice-token-0123456789";
    static final String BOB = "bob-token-0123456789";
    static final byte[] MASTER = SealTestKeys.kek(70);

    final Path keyPath;
    final Path tokens;
    final KekProvider master = KekProvider.aes(MASTER);
    final StringBuffer auditLines = new StringBuffer();
    final KmsServer server;
    final ManagedChannel channel;

    KmsFixture(Path dir, KmsServer.Builder extra) throws Exception {
        this(dir, extra, true);
    }

    /** {@code asLocal} false: the server is not told the store is a local directory, as with a remote store. */
    KmsFixture(Path dir, KmsServer.Builder extra, boolean asLocal) throws Exception {
        this(dir, extra, KeyStores.local(dir.resolve("keys")), asLocal);
    }

    /** A server over {@code store} (a remote one: its public half, if local, in {@code <dir>/keys}). */
    KmsFixture(Path dir, KmsServer.Builder extra, KeyStore store) throws Exception {
        this(dir, extra, store, false);
    }

    private KmsFixture(Path dir, KmsServer.Builder extra, KeyStore store, boolean asLocal) throws Exception {
        keyPath = dir.resolve("keys");
        tokens = dir.resolve("tokens");
        Files.createDirectories(dir);
        Files.writeString(tokens, "# principal prefix sha256\n"
                + "alice * " + sha(ALICE) + "\n"
                + "bob team- " + sha(BOB) + "\n");
        server = extra.listen("127.0.0.1", 0).store(store, asLocal ? keyPath : null).master(master)
                .tokens(tokens).audit(line -> auditLines.append(line).append('\n')).build().start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(8 << 20).build();
    }

    static KmsServer.Builder plaintext() {
        return KmsServer.builder().plaintext().dims(List.of(32)).lease(Duration.ofSeconds(30));
    }

    static String sha(String token) {
        return HexFormat.of().formatHex(KmsTokens.sha256(token));
    }

    String audit() {
        return auditLines.toString();
    }

    /** What KMSClient puts in every request header. */
    static RequestHeader header() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return RequestHeader.newBuilder().setId(HexFormat.of().formatHex(id))
                .setTimestamp(System.currentTimeMillis() / 1000).build();
    }

    <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
        return call(method, request, ALICE);
    }

    <Q, R> R call(MethodDescriptor<Q, R> method, Q request, String token) {
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(bearer(token))), method,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
    }

    Iterator<DownloadKeyResponse> download(String keyId, KeyFileType type) {
        return ClientCalls.blockingServerStreamingCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(bearer(ALICE))), KmsRpcs.DOWNLOAD_KEY,
                CallOptions.DEFAULT.withDeadlineAfter(600, TimeUnit.SECONDS),
                DownloadKeyRequest.newBuilder().setHeader(header()).setKeyId(keyId).setFileType(type).build());
    }

    /** The bytes of a whole DownloadKey stream, checking every chunk's header and numbering. */
    byte[] downloadBytes(String keyId, KeyFileType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long expected = 0;
        for (Iterator<DownloadKeyResponse> it = download(keyId, type); it.hasNext(); ) {
            DownloadKeyResponse r = it.next();
            if (r.getHeader().getReturnCode() != ReturnCode.Success) {
                throw new IllegalStateException(r.getHeader().getReturnCode() + ": " + r.getHeader().getErrorMessage());
            }
            if (r.getChunkIndex() != expected++) {
                throw new IllegalStateException("chunk " + r.getChunkIndex() + " where " + (expected - 1) + " was due");
            }
            out.writeBytes(r.getContent().toByteArray());
            if (r.getEof()) {
                if (it.hasNext()) {
                    throw new IllegalStateException("a message after eof");
                }
                break;
            }
        }
        return out.toByteArray();
    }

    static Metadata bearer(String token) {
        Metadata m = new Metadata();
        if (token != null) {
            m.put(KmsAuth.AUTHORIZATION, "Bearer " + token);
        }
        return m;
    }

    GenerateKeyResponse generate(String keyId) {
        return call(KmsRpcs.GENERATE_KEY, GenerateKeyRequest.newBuilder().setHeader(header()).setKeyId(keyId).build());
    }

    GenerateKeyResponse generate(GenerateKeyRequest.Builder b) {
        return call(KmsRpcs.GENERATE_KEY, b.setHeader(header()).build());
    }

    KeyGenStatus status(String keyId) {
        return call(KmsRpcs.GET_KEY_STATUS, GetKeyStatusRequest.newBuilder().setHeader(header()).setKeyId(keyId).build())
                .getStatus();
    }

    /** GetKeyStatus with a deadline of {@code deadlineMs} from now. */
    KeyGenStatus status(String keyId, long deadlineMs) {
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(bearer(ALICE))), KmsRpcs.GET_KEY_STATUS,
                CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS),
                GetKeyStatusRequest.newBuilder().setHeader(header()).setKeyId(keyId).build()).getStatus();
    }

    /** Generates {@code keyId} and polls as wait_for_key does until READY. */
    void generateAndWait(String keyId) throws InterruptedException {
        generate(keyId);
        waitReady(keyId);
    }

    void waitReady(String keyId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            KeyGenStatus s = status(keyId);
            if (s == KeyGenStatus.KEY_GEN_STATUS_READY) {
                return;
            }
            if (s == KeyGenStatus.KEY_GEN_STATUS_FAILED) {
                throw new IllegalStateException("generation of " + keyId + " failed");
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("generation of " + keyId + " did not finish");
    }

    ResponseHeader transition(String keyId, KeyState to) {
        TransitionStateResponse r = call(KmsRpcs.TRANSITION_STATE, TransitionStateRequest.newBuilder().setHeader(header())
                .setKeyId(keyId).setNewState(to).setReason("test").build());
        return r.getHeader();
    }

    /** The actor GetKeyDetails reports for {@code keyId}. */
    String actor(String keyId) {
        return call(KmsRpcs.GET_KEY_DETAILS, GetKeyDetailsRequest.newBuilder().setHeader(header()).setKeyId(keyId).build())
                .getVersions(0).getActor();
    }

    static ByteString bytes(byte[] b) {
        return ByteString.copyFrom(b);
    }

    @Override
    public void close() throws IOException {
        channel.shutdownNow();
        try {
            server.shutdown(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        master.close();
    }
}
