package io.evkeygen.kms;

import io.evkeygen.kms.internal.KmsRpcs;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.evkeygen.kms.internal.proto.KmsV2;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.server.internal.proto.CommonV2;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A FAKE enVector KMS for the client's tests (the real server is another helper's): grpc-java on a
 * loopback port, plaintext or TLS, serving both kms.v2 services as KMS.md describes. It records
 * every request and checks what the Python SDK's client sends (header id of 16 lower-case hex
 * characters, the timestamp in seconds, no type; no DownloadKey or TransitionState {@code version};
 * a non-empty key id; the bearer token on every call but Health), recording each violation.
 * Semantics are KMS.md's, kept small: GenerateKey answers PENDING and GetKeyStatus turns READY after
 * {@link #pendingPolls} polls; the key files come from {@link #generator} (a directory holding
 * EncKey.json and EvalKey.json), streamed from disk under gRPC flow control in chunks of
 * {@link #chunkSize}; metadata is AES-256-GCM {@code iv || tag || ciphertext} with a per-key key.
 * Failures can be injected: a return code or a gRPC status for the next call of an RPC, an
 * AuthenticationError once, a download without eof or with a failing chunk, a call never answered.
 */
final class FakeEnvectorKms implements AutoCloseable {
    static final int MIB = 1 << 20;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key id as the fake keeps it. */
    static final class Key {
        volatile int pollsLeft;
        volatile KmsV2.KeyGenStatus status = KmsV2.KeyGenStatus.KEY_GEN_STATUS_PENDING;
        volatile KmsV2.KeyState state = KmsV2.KeyState.KEY_STATE_ACTIVE;
        volatile Path files;
        final byte[] metadataKey = new byte[32];
        final List<String> transitions = new CopyOnWriteArrayList<>();
    }

    private record Injected(int code, String message) {}

    private final Server server;
    final Map<String, Key> keys = new ConcurrentHashMap<>();
    /** Every protocol violation seen. */
    final List<String> violations = new CopyOnWriteArrayList<>();
    /** Requests in arrival order. */
    final List<Message> requests = new CopyOnWriteArrayList<>();
    /** Methods asked for that the KMS does not serve, in order. */
    final List<String> unknownCalls = new CopyOnWriteArrayList<>();
    /** Calls in order, as {@code GenerateKey k1}. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Authorization values seen per call, in order (null when absent), as {@code Rpc=value}. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** The tokens accepted ("Bearer " + token) when {@link #requireToken}. */
    final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
    volatile boolean requireToken;
    /** GetKeyStatus answers PENDING this many times after GenerateKey, then READY. */
    volatile int pendingPolls = 1;
    /** Makes the key files of a new key id (a directory with EncKey.json and EvalKey.json). */
    volatile Function<String, Path> generator;
    /** When set, a generation ends FAILED. */
    volatile boolean failGenerations;
    volatile int chunkSize = MIB;
    /** A download ends without eof after its last chunk. */
    volatile boolean omitEof;
    /** A download sends one more chunk after its eof (a client must stop at the first eof). */
    volatile boolean chunkAfterEof;
    /** A download's reply of this index carries this return code (-1: none). */
    volatile int badChunkIndex = -1;
    volatile int badChunkCode = 2;
    /** A download sends its first chunk and then nothing, until the client's deadline. */
    volatile boolean stallDownloads;
    /** Unary calls are never answered. */
    volatile boolean neverAnswer;
    /** The next reply (of any call but Health) carries AuthenticationError. */
    volatile boolean authErrorOnce;
    /** What TopK answers. */
    volatile List<KmsV2.TopKResult> topKResults = List.of();
    volatile int healthCode = 1;
    private final Map<String, Injected> inject = new ConcurrentHashMap<>();
    private final Map<String, Status> injectStatus = new ConcurrentHashMap<>();

    private FakeEnvectorKms(ServerCredentials credentials) throws IOException {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                credentials);
        b.maxInboundMessageSize(64 * MIB);
        b.fallbackHandlerRegistry(new HandlerRegistry() {
            @Override
            public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
                unknownCalls.add(method); // e.g. grpc.health.v1.Health/Check, which a KMS does not serve
                return null;
            }
        });
        b.addService(ServerInterceptors.intercept(keyManager(), new Auth()));
        b.addService(ServerInterceptors.intercept(topK(), new Auth()));
        this.server = b.build().start();
    }

    static FakeEnvectorKms plaintext() throws IOException {
        return new FakeEnvectorKms(InsecureServerCredentials.create());
    }

    static FakeEnvectorKms tls(ServerCredentials credentials) throws IOException {
        return new FakeEnvectorKms(credentials);
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The next call of {@code rpc} answers with this return code and message. */
    void failNext(String rpc, int code, String message) {
        inject.put(rpc, new Injected(code, message));
    }

    /** The next call of {@code rpc} fails with this gRPC status. */
    void failNextWith(String rpc, Status status) {
        injectStatus.put(rpc, status);
    }

    /** A READY key whose files are in {@code dir}. */
    Key preload(String keyId, Path dir) {
        Key k = new Key();
        k.status = KmsV2.KeyGenStatus.KEY_GEN_STATUS_READY;
        k.files = dir;
        RANDOM.nextBytes(k.metadataKey);
        keys.put(keyId, k);
        return k;
    }

    /** The requests of one type, in order. */
    <T extends Message> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- checks

    private void checkHeader(String rpc, CommonV2.RequestHeader h, String keyId) {
        if (h.getTypeValue() != 0) {
            violations.add(rpc + ": header.type " + h.getTypeValue() + ", the SDK leaves it unset");
        }
        if (!ID.matcher(h.getId()).matches()) {
            violations.add(rpc + ": header.id '" + h.getId() + "' is not 16 lower-case hex characters");
        }
        if (Math.abs(Instant.now().getEpochSecond() - h.getTimestamp()) > 3600) {
            violations.add(rpc + ": header.timestamp " + h.getTimestamp() + " is not the time in seconds");
        }
        if (keyId != null && keyId.isEmpty()) {
            violations.add(rpc + ": empty key_id");
        }
    }

    /** Records the call; an injected answer, or null to go on. */
    private Injected begin(String rpc, Message request, CommonV2.RequestHeader header, String keyId) {
        requests.add(request);
        calls.add(rpc + (keyId == null ? "" : " " + keyId));
        checkHeader(rpc, header, keyId);
        Injected i = inject.remove(rpc);
        if (i != null) {
            return i;
        }
        if (authErrorOnce && !rpc.equals("Health")) {
            authErrorOnce = false;
            return new Injected(14, "token expired");
        }
        return null;
    }

    private static CommonV2.ResponseHeader reply(Injected r) {
        CommonV2.ResponseHeader.Builder h = CommonV2.ResponseHeader.newBuilder().setReturnCodeValue(r.code());
        if (r.code() != 1) {
            h.setErrorMessage(r.message());
        }
        return h.build();
    }

    private static final Injected OK = new Injected(1, "");

    private Injected known(String keyId) {
        return keys.containsKey(keyId) ? OK : new Injected(5, "no key " + keyId);
    }

    /** The key's usable state for the data calls: suspended and destroyed keys refuse them. */
    private Injected usable(String keyId) {
        Key k = keys.get(keyId);
        if (k == null) {
            return new Injected(5, "no key " + keyId);
        }
        if (k.status != KmsV2.KeyGenStatus.KEY_GEN_STATUS_READY) {
            return new Injected(13, "key " + keyId + " is not ready");
        }
        if (k.state == KmsV2.KeyState.KEY_STATE_SUSPENDED) {
            return new Injected(2, "key " + keyId + " is suspended");
        }
        if (k.state == KmsV2.KeyState.KEY_STATE_DESTROYED) {
            return new Injected(2, "key " + keyId + " is destroyed");
        }
        return OK;
    }

    /** A unary method: records, injects, and otherwise answers {@code handle}'s (code, response). */
    private <Q extends Message, R extends Message> ServerCallHandler<Q, R> unary(
            String rpc, Function<Q, CommonV2.RequestHeader> header, Function<Q, String> keyId,
            Function<Q, Injected> check, java.util.function.BiFunction<Q, CommonV2.ResponseHeader, R> answer) {
        return ServerCalls.asyncUnaryCall((Q q, StreamObserver<R> out) -> {
            Status s = injectStatus.remove(rpc);
            if (s != null) {
                requests.add(q);
                out.onError(s.asRuntimeException());
                return;
            }
            if (neverAnswer) {
                requests.add(q);
                return; // open until the client's deadline
            }
            Injected r = begin(rpc, q, header.apply(q), keyId.apply(q));
            if (r == null) {
                r = check.apply(q);
            }
            out.onNext(answer.apply(q, reply(r)));
            out.onCompleted();
        });
    }

    // ---------------------------------------------------------------- KeyManagerService

    private ServerServiceDefinition keyManager() {
        return ServerServiceDefinition.builder(KmsRpcs.KEY_MANAGER_SERVICE)
                .addMethod(KmsRpcs.GENERATE_KEY, unary("GenerateKey", KmsV2.GenerateKeyRequest::getHeader,
                        KmsV2.GenerateKeyRequest::getKeyId, q -> OK, this::generate))
                .addMethod(KmsRpcs.GET_KEY_STATUS, unary("GetKeyStatus", KmsV2.GetKeyStatusRequest::getHeader,
                        KmsV2.GetKeyStatusRequest::getKeyId, q -> known(q.getKeyId()), (q, h) -> {
                            KmsV2.GetKeyStatusResponse.Builder b = KmsV2.GetKeyStatusResponse.newBuilder().setHeader(h)
                                    .setKeyId(q.getKeyId());
                            Key k = keys.get(q.getKeyId());
                            if (h.getReturnCodeValue() == 1) {
                                b.setStatus(poll(k));
                            }
                            return b.build();
                        }))
                .addMethod(KmsRpcs.GET_KEY_DETAILS, unary("GetKeyDetails", KmsV2.GetKeyDetailsRequest::getHeader,
                        KmsV2.GetKeyDetailsRequest::getKeyId, q -> known(q.getKeyId()), (q, h) -> {
                            KmsV2.GetKeyDetailsResponse.Builder b = KmsV2.GetKeyDetailsResponse.newBuilder()
                                    .setHeader(h).setKeyId(q.getKeyId());
                            Key k = keys.get(q.getKeyId());
                            if (h.getReturnCodeValue() == 1) {
                                for (KmsV2.KeyType t : List.of(KmsV2.KeyType.KEY_TYPE_SECRET_KEY,
                                        KmsV2.KeyType.KEY_TYPE_ENC_KEY, KmsV2.KeyType.KEY_TYPE_EVAL_KEY,
                                        KmsV2.KeyType.KEY_TYPE_METADATA_KEY)) {
                                    b.addVersions(KmsV2.KeyVersionRecord.newBuilder().setVersion(1).setState(k.state)
                                            .setKeyType(t).setCreatedAt("2026-12-06T10:00:00Z")
                                            .setUpdatedAt("2026-12-06T10:00:01Z").setActor("tester"));
                                }
                            }
                            return b.build();
                        }))
                .addMethod(KmsRpcs.DOWNLOAD_KEY, ServerCalls.asyncServerStreamingCall(this::download))
                .addMethod(KmsRpcs.TRANSITION_STATE, unary("TransitionState", KmsV2.TransitionStateRequest::getHeader,
                        KmsV2.TransitionStateRequest::getKeyId, this::transition,
                        (q, h) -> KmsV2.TransitionStateResponse.newBuilder().setHeader(h).build()))
                .addMethod(KmsRpcs.DELETE, unary("Delete", KmsV2.DeleteRequest::getHeader,
                        KmsV2.DeleteRequest::getKeyId,
                        q -> keys.remove(q.getKeyId()) == null ? new Injected(5, "no key " + q.getKeyId()) : OK,
                        (q, h) -> KmsV2.DeleteResponse.newBuilder().setHeader(h).build()))
                .addMethod(KmsRpcs.KEY_MANAGER_HEALTH, health())
                .build();
    }

    private ServerCallHandler<CommonV2.HeartbeatRequest, CommonV2.HeartbeatResponse> health() {
        return unary("Health", CommonV2.HeartbeatRequest::getHeader, q -> null,
                q -> healthCode == 1 ? OK : new Injected(healthCode, "store unreachable"),
                (q, h) -> CommonV2.HeartbeatResponse.newBuilder().setHeader(h).build());
    }

    private KmsV2.GenerateKeyResponse generate(KmsV2.GenerateKeyRequest q, CommonV2.ResponseHeader injected) {
        KmsV2.GenerateKeyResponse.Builder b = KmsV2.GenerateKeyResponse.newBuilder().setKeyId(q.getKeyId()).setVersion(1);
        if (injected.getReturnCodeValue() != 1) {
            return b.setHeader(injected).build();
        }
        if (!q.getSeed().isEmpty() && q.getSeed().size() != 64) {
            return b.setHeader(reply(new Injected(4, "seed must be 64 bytes"))).build();
        }
        synchronized (this) {
            Key k = keys.get(q.getKeyId());
            if (k != null && k.status == KmsV2.KeyGenStatus.KEY_GEN_STATUS_PENDING) {
                return b.setHeader(reply(new Injected(2, "generation of " + q.getKeyId() + " already in progress")))
                        .build();
            }
            if (k != null && k.status == KmsV2.KeyGenStatus.KEY_GEN_STATUS_READY) {
                return b.setHeader(reply(OK)).setStatus(KmsV2.KeyGenStatus.KEY_GEN_STATUS_READY).build();
            }
            k = new Key();
            k.pollsLeft = pendingPolls;
            RANDOM.nextBytes(k.metadataKey);
            Function<String, Path> g = generator;
            k.files = g == null ? null : g.apply(q.getKeyId());
            keys.put(q.getKeyId(), k);
        }
        return b.setHeader(reply(OK)).setStatus(KmsV2.KeyGenStatus.KEY_GEN_STATUS_PENDING).build();
    }

    private KmsV2.KeyGenStatus poll(Key k) {
        synchronized (this) {
            if (k.status == KmsV2.KeyGenStatus.KEY_GEN_STATUS_PENDING && k.pollsLeft-- <= 0) {
                k.status = failGenerations ? KmsV2.KeyGenStatus.KEY_GEN_STATUS_FAILED
                        : KmsV2.KeyGenStatus.KEY_GEN_STATUS_READY;
            }
            return k.status;
        }
    }

    private Injected transition(KmsV2.TransitionStateRequest q) {
        if (q.getVersion() != 0) {
            violations.add("TransitionState: version " + q.getVersion() + " set, the SDK never sends it");
        }
        Key k = keys.get(q.getKeyId());
        if (k == null) {
            return new Injected(5, "no key " + q.getKeyId());
        }
        if (k.state == KmsV2.KeyState.KEY_STATE_DESTROYED) {
            return new Injected(4, "key " + q.getKeyId() + " is destroyed");
        }
        k.transitions.add(q.getNewState().name() + " " + q.getReason());
        switch (q.getNewState()) {
            case KEY_STATE_SUSPENDED, KEY_STATE_DESTROYED -> k.state = q.getNewState();
            case KEY_STATE_ACTIVE, KEY_STATE_ROTATING -> k.state = KmsV2.KeyState.KEY_STATE_ACTIVE;
            default -> {
                return new Injected(4, "no transition to " + q.getNewState());
            }
        }
        return OK;
    }

    /** DownloadKey: the file streamed from disk as flow control allows, a chunk at a time. */
    private void download(DownloadKeyRequest q, StreamObserver<DownloadKeyResponse> observer) {
        ServerCallStreamObserver<DownloadKeyResponse> out = (ServerCallStreamObserver<DownloadKeyResponse>) observer;
        Status s = injectStatus.remove("DownloadKey");
        if (s != null) {
            requests.add(q);
            out.onError(s.asRuntimeException());
            return;
        }
        if (q.hasVersion()) {
            violations.add("DownloadKey: version set, the SDK never sends it");
        }
        Injected r = begin("DownloadKey", q, q.getHeader(), q.getKeyId());
        if (r == null) {
            r = usable(q.getKeyId());
        }
        if (r == OK && q.getFileTypeValue() != 2 && q.getFileTypeValue() != 3) {
            r = new Injected(4, "file type " + q.getFileTypeValue() + " cannot be downloaded");
        }
        if (r != OK) {
            out.onNext(DownloadKeyResponse.newBuilder().setHeader(reply(r)).setKeyId(q.getKeyId()).build());
            out.onCompleted();
            return;
        }
        String name = q.getFileTypeValue() == 2 ? "EncKey.json" : "EvalKey.json";
        Path file = keys.get(q.getKeyId()).files.resolve(name);
        new Sender(out, q, file, name).start();
    }

    /** Sends one file's chunks while the call is ready; resumes when gRPC says it is ready again. */
    private final class Sender implements Runnable {
        private final ServerCallStreamObserver<DownloadKeyResponse> out;
        private final DownloadKeyRequest q;
        private final String name;
        private final long total;
        private final InputStream in;
        private final int size = chunkSize;
        private final boolean noEof = omitEof;
        private final int bad = badChunkIndex;
        private final boolean stall = stallDownloads;
        private final boolean extra = chunkAfterEof;
        private long index;
        private long sent;
        private boolean finished;

        Sender(ServerCallStreamObserver<DownloadKeyResponse> out, DownloadKeyRequest q, Path file, String name) {
            this.out = out;
            this.q = q;
            this.name = name;
            try {
                this.total = Files.size(file);
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void start() {
            out.setOnCancelHandler(this::closeQuietly);
            out.setOnReadyHandler(this);
            run();
        }

        @Override
        public synchronized void run() {
            try {
                while (!finished && out.isReady() && !out.isCancelled()) {
                    if (stall && index == 1) {
                        return;
                    }
                    byte[] chunk = in.readNBytes((int) Math.min(size, total - sent));
                    sent += chunk.length;
                    boolean last = sent >= total;
                    CommonV2.ResponseHeader h = reply(index == bad ? new Injected(badChunkCode, "chunk failed") : OK);
                    out.onNext(DownloadKeyResponse.newBuilder().setHeader(h).setKeyId(q.getKeyId())
                            .setFileType(q.getFileType()).setFileName(name).setContent(ByteString.copyFrom(chunk))
                            .setContentType("application/json").setChunkIndex(index++).setTotalSize(total)
                            .setEof(last && !noEof).build());
                    if (last) {
                        if (extra) {
                            out.onNext(DownloadKeyResponse.newBuilder().setHeader(reply(OK))
                                    .setContent(ByteString.copyFromUtf8("after eof")).setChunkIndex(index++).build());
                        }
                        finished = true;
                        closeQuietly();
                        out.onCompleted();
                    }
                }
            } catch (IOException e) {
                finished = true;
                out.onError(Status.INTERNAL.withDescription("fake: " + e).asRuntimeException());
            }
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the file is only read
            }
        }
    }

    // ---------------------------------------------------------------- TopKService

    private ServerServiceDefinition topK() {
        return ServerServiceDefinition.builder(KmsRpcs.TOP_K_SERVICE)
                .addMethod(KmsRpcs.TOP_K, unary("TopK", KmsV2.TopKRequest::getHeader, KmsV2.TopKRequest::getKeyId,
                        q -> usable(q.getKeyId()), (q, h) -> KmsV2.TopKResponse.newBuilder().setHeader(h)
                                .addAllResults(h.getReturnCodeValue() == 1 ? topKResults : List.of()).build()))
                .addMethod(KmsRpcs.ENCRYPT_METADATA, unary("EncryptMetadata", KmsV2.EncryptMetadataRequest::getHeader,
                        KmsV2.EncryptMetadataRequest::getKeyId, q -> usable(q.getKeyId()), (q, h) -> {
                            KmsV2.EncryptMetadataResponse.Builder b = KmsV2.EncryptMetadataResponse.newBuilder();
                            if (h.getReturnCodeValue() == 1) {
                                byte[] key = keys.get(q.getKeyId()).metadataKey;
                                q.getPlaintextMetadataList().forEach(v -> b.addEncryptedMetadata(
                                        ByteString.copyFrom(seal(key, v))));
                            }
                            return b.setHeader(h).build();
                        }))
                .addMethod(KmsRpcs.DECRYPT_METADATA, unary("DecryptMetadata", KmsV2.DecryptMetadataRequest::getHeader,
                        KmsV2.DecryptMetadataRequest::getKeyId, q -> usable(q.getKeyId()), this::decrypt))
                .addMethod(KmsRpcs.TOP_K_HEALTH, health())
                .build();
    }

    private KmsV2.DecryptMetadataResponse decrypt(KmsV2.DecryptMetadataRequest q, CommonV2.ResponseHeader h) {
        KmsV2.DecryptMetadataResponse.Builder b = KmsV2.DecryptMetadataResponse.newBuilder();
        if (h.getReturnCodeValue() != 1) {
            return b.setHeader(h).build();
        }
        byte[] key = keys.get(q.getKeyId()).metadataKey;
        List<String> values = new ArrayList<>();
        for (ByteString c : q.getEncryptedMetadataList()) {
            String v = open(key, c.toByteArray());
            if (v == null) {
                return b.setHeader(reply(new Injected(2, "a metadata ciphertext does not authenticate"))).build();
            }
            values.add(v);
        }
        return b.setHeader(h).addAllPlaintextMetadata(values).build();
    }

    /** AES-256-GCM in the SDK's layout: iv (12) || tag (16) || ciphertext. */
    static byte[] seal(byte[] key, String value) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            byte[] ctTag = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            int ct = ctTag.length - 16;
            return ByteBuffer.allocate(12 + ctTag.length).put(iv).put(ctTag, ct, 16).put(ctTag, 0, ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String open(byte[] key, byte[] blob) {
        if (blob.length < 28) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, blob, 0, 12));
            byte[] ctTag = ByteBuffer.allocate(blob.length - 12).put(blob, 28, blob.length - 28).put(blob, 12, 16)
                    .array();
            return new String(c.doFinal(ctTag), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Records every call's authorization; refuses a missing or unknown token (Health needs none). */
    private final class Auth implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            String value = headers.get(AUTHORIZATION);
            String rpc = call.getMethodDescriptor().getBareMethodName();
            authorizations.add(rpc + "=" + value);
            if (requireToken && !"Health".equals(rpc) && (value == null || !acceptedTokens.contains(value))) {
                call.close(value == null ? Status.UNAUTHENTICATED.withDescription("no bearer token")
                        : Status.UNAUTHENTICATED.withDescription("unknown token"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            return next.startCall(call, headers);
        }
    }
}
