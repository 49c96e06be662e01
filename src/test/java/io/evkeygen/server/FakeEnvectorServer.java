package io.evkeygen.server;

import com.google.protobuf.ByteString;
import io.evkeygen.server.internal.proto.CommonV2;
import io.evkeygen.server.internal.proto.EndpointV2;
import io.evkeygen.server.internal.proto.Es2;
import io.evkeygen.server.internal.proto.Es2e;
import io.evkeygen.server.internal.proto.HealthV1;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A FAKE enVector server for tests (no real one is available here): grpc-java on a loopback port,
 * plaintext or TLS, speaking the key methods of both API generations as SERVER-KEYS.md describes
 * (v2 {@code endpoint.v2.EndpointService}, ES2E {@code ES2E.ES2EService}, either or both). It checks
 * every field a client sends (header types, v2 header ids and timestamps, the absence of ids in
 * ES2E, key_info strings and case, frame sizes, {@code key.size} and {@code total_size} per
 * generation, the total and the SHA-256 of the payload, the bearer token) and records each
 * violation; it answers a violation with InvalidInput. Failures can be injected: a return code for
 * the next call of an RPC, UNAVAILABLE in the middle of a register stream, an expired token, a
 * server that never answers.
 */
public final class FakeEnvectorServer implements AutoCloseable {
    public static final int MIB = 1 << 20;
    private static final Pattern V2_ID = Pattern.compile("[0-9a-f]{20}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** A registered key as the fake keeps it (the payload itself only when small). */
    public record Stored(String keyId, String type, String preset, String evalMode, String sha256sum, long size,
                         int frames, int largestFrame, byte[] payload) {
        /** The same key as if its payload hashed to {@code sum} (get_key_info reports it). */
        public Stored withSha256(String sum) {
            return new Stored(keyId, type, preset, evalMode, sum, size, frames, largestFrame, payload);
        }
    }

    /** An injected non-Success answer. */
    private record Injected(int code, String message) {}

    private final Server server;
    private final boolean v2;
    private final boolean es2e;
    public final Map<String, Stored> keys = Collections.synchronizedMap(new LinkedHashMap<>());
    public volatile String loaded;
    /** Every protocol violation seen. */
    public final List<String> violations = new CopyOnWriteArrayList<>();
    /** Calls in order, as {@code v2/load_key k1} or {@code es2e/get_key_list}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** Authorization values seen, in order (null when absent). */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<String> cancelledStreams = new CopyOnWriteArrayList<>();
    private final Map<String, Injected> inject = new ConcurrentHashMap<>();
    /** The tokens accepted ("Bearer " + token); empty: no token is required (and none must be sent). */
    public final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
    public volatile boolean requireToken;
    public volatile String version = "1.5.0";
    public volatile boolean oldVersionKey;
    public volatile int unavailableAfterFrames = -1;
    public volatile boolean neverAnswer;
    public volatile boolean authErrorOnce;
    /** When set, every unary key call fails with this gRPC status (its description is the server's words). */
    public volatile Status failCalls;
    /** What grpc.health.v1.Health/Check answers: a ServingStatus name, or UNIMPLEMENTED. */
    public volatile String health = "SERVING";
    public final java.util.concurrent.atomic.AtomicInteger healthChecks = new java.util.concurrent.atomic.AtomicInteger();

    private FakeEnvectorServer(ServerCredentials credentials, boolean v2, boolean es2e) throws IOException {
        this.v2 = v2;
        this.es2e = es2e;
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                credentials);
        b.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .maxInboundMessageSize(100 * MIB).flowControlWindow(8 * MIB);
        if (v2) {
            b.addService(ServerInterceptors.intercept(v2Service(), new VersionTrailer(), new Auth()));
        }
        if (es2e) {
            b.addService(ServerInterceptors.intercept(es2eService(), new Auth()));
        }
        b.addService(ServerServiceDefinition.builder(Rpcs.HEALTH_SERVICE)
                .addMethod(Rpcs.HEALTH_CHECK, ServerCalls.asyncUnaryCall((req, out) -> {
                    healthChecks.incrementAndGet();
                    if (!req.getService().isEmpty()) {
                        violation("health check for service '" + req.getService() + "', expected the server's ('')");
                    }
                    if (health.equals("UNIMPLEMENTED")) {
                        out.onError(Status.UNIMPLEMENTED.asRuntimeException());
                        return;
                    }
                    out.onNext(HealthV1.HealthCheckResponse.newBuilder()
                            .setStatus(HealthV1.HealthCheckResponse.ServingStatus.valueOf(health)).build());
                    out.onCompleted();
                })).build());
        this.server = b.build().start();
    }

    /** Plaintext, both generations. */
    public static FakeEnvectorServer plaintext() throws IOException {
        return new FakeEnvectorServer(io.grpc.InsecureServerCredentials.create(), true, true);
    }

    /** Plaintext, the chosen generations only (neither: a gRPC server with no enVector API). */
    public static FakeEnvectorServer plaintext(boolean v2, boolean es2e) throws IOException {
        return new FakeEnvectorServer(io.grpc.InsecureServerCredentials.create(), v2, es2e);
    }

    /** TLS with the given credentials, both generations. */
    public static FakeEnvectorServer tls(ServerCredentials credentials) throws IOException {
        return new FakeEnvectorServer(credentials, true, true);
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** The next call of {@code rpc} answers with this return code and message. */
    public void failNext(String rpc, int returnCode, String message) {
        inject.put(rpc, new Injected(returnCode, message));
    }

    /** Registers a key directly (as if another client had). */
    public void preload(String keyId, boolean load) {
        keys.put(keyId, new Stored(keyId, "EvalKey", "IP0", "RMP", "0".repeat(64), 1, 1, 1, new byte[] {0}));
        if (load) {
            loaded = keyId;
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- neutral logic

    private void violation(String what) {
        violations.add(what);
    }

    /** The checks every request header gets: the method's type, and each generation's id rules. */
    private void checkHeader(String gen, String rpc, int type, int expectedType, String id, long timestamp) {
        if (type != expectedType) {
            violation(gen + "/" + rpc + ": header.type " + type + ", expected " + expectedType);
        }
        if (gen.equals("v2")) {
            if (!V2_ID.matcher(id).matches()) {
                violation("v2/" + rpc + ": header.id '" + id + "' is not 20 lower-case hex characters");
            }
            long now = System.currentTimeMillis() / 1000;
            if (Math.abs(now - timestamp) > 3600) {
                violation("v2/" + rpc + ": header.timestamp " + timestamp + " is not the time in seconds");
            }
        } else if (!id.isEmpty() || timestamp != 0) {
            violation("es2e/" + rpc + ": header id/timestamp set (the Go SDK leaves them unset)");
        }
    }

    /** Answers (code, message) for a unary key call; code 1 is Success. */
    private Injected keyCall(String gen, String rpc, String keyId) {
        calls.add(gen + "/" + rpc + (keyId == null ? "" : " " + keyId));
        Injected injected = inject.remove(rpc);
        if (injected != null) {
            return injected;
        }
        if (authErrorOnce && gen.equals("v2")) {
            authErrorOnce = false;
            return new Injected(14, "token expired");
        }
        if (keyId != null && keyId.isEmpty()) {
            violation(gen + "/" + rpc + ": empty key_id");
            return new Injected(4, "key_id is empty");
        }
        synchronized (this) {
            switch (rpc) {
                case "get_key_list", "get_key_info" -> { }
                case "load_key" -> {
                    if (!keys.containsKey(keyId)) {
                        return new Injected(5, "no key " + keyId);
                    }
                    if (loaded != null && !loaded.equals(keyId)) {
                        return new Injected(2, "key " + loaded + " is loaded: unload it first");
                    }
                    loaded = keyId;
                }
                case "unload_key" -> {
                    if (!keys.containsKey(keyId)) {
                        return new Injected(5, "no key " + keyId);
                    }
                    if (keyId.equals(loaded)) {
                        loaded = null;
                    }
                }
                case "delete_key" -> {
                    if (keys.remove(keyId) == null) {
                        return new Injected(5, "no key " + keyId);
                    }
                    if (keyId.equals(loaded)) {
                        loaded = null;
                    }
                }
                default -> throw new IllegalStateException(rpc);
            }
        }
        return new Injected(1, "");
    }

    /** One register_key stream, generation-neutral. */
    private final class Registration {
        final String gen;
        final MessageDigest sha;
        String headerSeen;
        Es2.KeyInfo es2eInfo;
        CommonV2.KeyInfo v2Info;
        long declaredTotal = -1;
        long received;
        int frames;
        int largest;
        int shortFrames;
        final java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
        final List<String> problems = new ArrayList<>();

        Registration(String gen) {
            this.gen = gen;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void frame(String header, String keyId, String type, String preset, String evalMode, String sum, boolean loadedFlag,
                   long keySize, ByteString value, long totalSize) {
            if (frames == 0) {
                headerSeen = header;
            } else if (!header.equals(headerSeen)) {
                problems.add("frame " + frames + " changes the header");
            }
            if (value.size() > MIB) {
                problems.add("frame " + frames + " holds " + value.size() + " bytes, more than 1 MiB");
            }
            if (frames > 0 && shortFrames > 0) {
                problems.add("frame " + frames + " follows a frame shorter than 1 MiB");
            }
            if (value.size() < MIB) {
                shortFrames++;
            }
            largest = Math.max(largest, value.size());
            if (!"EvalKey".equals(type)) {
                problems.add("key_info.type '" + type + "'");
            }
            if (keyId.isEmpty()) {
                problems.add("key_info.key_id is empty");
            }
            boolean upper = gen.equals("v2");
            Set<String> presets = upper ? Set.of("IP0", "IP1") : Set.of("ip0", "ip1");
            Set<String> modes = upper ? Set.of("RMP", "MM", "FLAT") : Set.of("rmp", "mm", "flat");
            if (!presets.contains(preset)) {
                problems.add("key_info.preset '" + preset + "' (" + gen + " expects " + presets + ")");
            }
            if (!modes.contains(evalMode)) {
                problems.add("key_info.eval_mode '" + evalMode + "' (" + gen + " expects " + modes + ")");
            }
            if (!HEX64.matcher(sum).matches()) {
                problems.add("key_info.sha256sum '" + sum + "' is not lower-case hex SHA-256");
            }
            if (loadedFlag) {
                problems.add("key_info.is_loaded is set");
            }
            if (upper) {
                if (keySize != value.size()) {
                    problems.add("v2 frame " + frames + ": key.size " + keySize + " is not the chunk length " + value.size());
                }
                if (declaredTotal >= 0 && totalSize != declaredTotal) {
                    problems.add("total_size changes");
                }
                declaredTotal = totalSize;
            } else {
                if (declaredTotal >= 0 && keySize != declaredTotal) {
                    problems.add("es2e frame " + frames + ": key.size changes");
                }
                declaredTotal = keySize;
            }
            value.asReadOnlyByteBufferList().forEach(sha::update);
            if (received + value.size() <= 16 * MIB) {
                try {
                    value.writeTo(small);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            received += value.size();
            frames++;
        }

        /** At half-close: the return code and message. */
        Injected complete(String keyId, String type, String preset, String evalMode, String sum) {
            calls.add(gen + "/register_key " + keyId);
            String actual = HexFormat.of().formatHex(sha.digest());
            if (frames == 0) {
                problems.add("no frame");
            }
            if (received != declaredTotal) {
                problems.add("received " + received + " bytes, the frames say " + declaredTotal);
            }
            if (!actual.equals(sum)) {
                problems.add("payload SHA-256 " + actual + " is not sha256sum " + sum);
            }
            if (received == 0 && frames != 1) {
                problems.add("an empty payload must be one empty frame");
            }
            if (!problems.isEmpty()) {
                problems.forEach(p -> violation(gen + "/register_key: " + p));
                return new Injected(4, String.join("; ", problems));
            }
            Injected injected = inject.remove("register_key");
            if (injected != null) {
                return injected;
            }
            synchronized (FakeEnvectorServer.this) {
                if (keys.containsKey(keyId)) {
                    return new Injected(2, "key " + keyId + " is already registered");
                }
                keys.put(keyId, new Stored(keyId, type, preset, evalMode, sum, received, frames, largest,
                        received <= 16 * MIB ? small.toByteArray() : null));
            }
            return new Injected(1, "");
        }
    }

    // ---------------------------------------------------------------- v2

    private static CommonV2.ResponseHeader v2Reply(CommonV2.MessageType type, Injected r) {
        CommonV2.ResponseHeader.Builder h = CommonV2.ResponseHeader.newBuilder().setType(type)
                .setReturnCodeValue(r.code());
        if (r.code() != 1) {
            h.setErrorMessage(r.message());
        }
        return h.build();
    }

    private <T> boolean hold(StreamObserver<T> out) {
        Status failure = failCalls;
        if (failure != null) {
            out.onError(failure.asRuntimeException());
            return true;
        }
        return neverAnswer; // the call stays open until the client's deadline
    }

    private ServerServiceDefinition v2Service() {
        return ServerServiceDefinition.builder(Rpcs.V2_SERVICE)
                .addMethod(Rpcs.V2.GET_KEY_LIST, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    CommonV2.RequestHeader h = req.getHeader();
                    checkHeader("v2", "get_key_list", h.getTypeValue(), 230, h.getId(), h.getTimestamp());
                    Injected r = keyCall("v2", "get_key_list", null);
                    EndpointV2.GetKeyListResponse.Builder resp = EndpointV2.GetKeyListResponse.newBuilder()
                            .setHeader(v2Reply(CommonV2.MessageType.GetKeyList, r));
                    if (r.code() == 1) {
                        resp.addAllKeyId(List.copyOf(keys.keySet()));
                    }
                    out.onNext(resp.build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.V2.GET_KEY_INFO, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    CommonV2.RequestHeader h = req.getHeader();
                    checkHeader("v2", "get_key_info", h.getTypeValue(), 131, h.getId(), h.getTimestamp());
                    Injected r = keyCall("v2", "get_key_info", req.getKeyId());
                    Stored s = keys.get(req.getKeyId());
                    if (r.code() == 1 && s == null) {
                        r = new Injected(5, "no key " + req.getKeyId());
                    }
                    EndpointV2.GetKeyInfoResponse.Builder resp = EndpointV2.GetKeyInfoResponse.newBuilder()
                            .setHeader(v2Reply(CommonV2.MessageType.GetKeyInfo, r));
                    if (r.code() == 1) {
                        resp.setKeyInfo(CommonV2.KeyInfo.newBuilder().setKeyId(s.keyId()).setType(s.type())
                                .setPreset(s.preset()).setEvalMode(s.evalMode()).setSha256Sum(s.sha256sum())
                                .setIsLoaded(s.keyId().equals(loaded)));
                    }
                    out.onNext(resp.build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.V2.LOAD_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    CommonV2.RequestHeader h = req.getHeader();
                    checkHeader("v2", "load_key", h.getTypeValue(), 232, h.getId(), h.getTimestamp());
                    out.onNext(EndpointV2.LoadKeyResponse.newBuilder().setHeader(v2Reply(CommonV2.MessageType.LoadKey,
                            keyCall("v2", "load_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.V2.UNLOAD_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    CommonV2.RequestHeader h = req.getHeader();
                    checkHeader("v2", "unload_key", h.getTypeValue(), 233, h.getId(), h.getTimestamp());
                    out.onNext(EndpointV2.UnloadKeyResponse.newBuilder().setHeader(v2Reply(CommonV2.MessageType.UnloadKey,
                            keyCall("v2", "unload_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.V2.DELETE_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    CommonV2.RequestHeader h = req.getHeader();
                    checkHeader("v2", "delete_key", h.getTypeValue(), 231, h.getId(), h.getTimestamp());
                    out.onNext(EndpointV2.DeleteKeyResponse.newBuilder().setHeader(v2Reply(CommonV2.MessageType.DeleteKey,
                            keyCall("v2", "delete_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.V2.REGISTER_KEY, ServerCalls.asyncClientStreamingCall(this::v2Register))
                .build();
    }

    private StreamObserver<EndpointV2.RegisterKeyRequest> v2Register(StreamObserver<EndpointV2.RegisterKeyResponse> out) {
        return new StreamObserver<EndpointV2.RegisterKeyRequest>() {
                    final Registration reg = new Registration("v2");
                    CommonV2.KeyInfo info;
                    boolean failed;

                    @Override
                    public void onNext(EndpointV2.RegisterKeyRequest q) {
                        if (failed) {
                            return;
                        }
                        if (reg.frames == 0) {
                            CommonV2.RequestHeader h = q.getHeader();
                            checkHeader("v2", "register_key", h.getTypeValue(), 130, h.getId(), h.getTimestamp());
                        }
                        info = q.getKeyInfo();
                        reg.frame(q.getHeader().toString(), info.getKeyId(), info.getType(), info.getPreset(),
                                info.getEvalMode(), info.getSha256Sum(), info.getIsLoaded(), q.getKey().getSize(),
                                q.getKey().getValue(), q.getTotalSize());
                        if (unavailableAfterFrames >= 0 && reg.frames >= unavailableAfterFrames) {
                            failed = true;
                            unavailableAfterFrames = -1;
                            out.onError(Status.UNAVAILABLE.withDescription("fake: injected outage").asRuntimeException());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        cancelledStreams.add("v2/register_key " + (info == null ? "" : info.getKeyId()));
                    }

                    @Override
                    public void onCompleted() {
                        if (failed || neverAnswer) {
                            return;
                        }
                        Injected r = reg.complete(info == null ? "" : info.getKeyId(), info == null ? "" : info.getType(),
                                info == null ? "" : info.getPreset(), info == null ? "" : info.getEvalMode(),
                                info == null ? "" : info.getSha256Sum());
                        out.onNext(EndpointV2.RegisterKeyResponse.newBuilder()
                                .setHeader(v2Reply(CommonV2.MessageType.RegisterKey, r)).build());
                        out.onCompleted();
                    }
                };
    }

    // ---------------------------------------------------------------- ES2E

    private static Es2.ResponseHeader es2eReply(Es2.MessageType type, Injected r) {
        return Es2.ResponseHeader.newBuilder().setType(type).setReturnCodeValue(r.code())
                .setErrorMessage(r.code() == 1 ? "" : r.message()).build();
    }

    private ServerServiceDefinition es2eService() {
        return ServerServiceDefinition.builder(Rpcs.ES2E_SERVICE)
                .addMethod(Rpcs.Es2eRpcs.GET_KEY_LIST, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    Es2.RequestHeader h = req.getHeader();
                    checkHeader("es2e", "get_key_list", h.getTypeValue(), 230, h.getId(), h.getTimestamp());
                    Injected r = keyCall("es2e", "get_key_list", null);
                    Es2e.GetKeyListResponse.Builder resp = Es2e.GetKeyListResponse.newBuilder()
                            .setHeader(es2eReply(Es2.MessageType.GetKeyList, r));
                    if (r.code() == 1) {
                        resp.addAllKeyId(List.copyOf(keys.keySet()));
                    }
                    out.onNext(resp.build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.Es2eRpcs.LOAD_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    Es2.RequestHeader h = req.getHeader();
                    checkHeader("es2e", "load_key", h.getTypeValue(), 232, h.getId(), h.getTimestamp());
                    out.onNext(Es2e.LoadKeyResponse.newBuilder().setHeader(es2eReply(Es2.MessageType.LoadKey,
                            keyCall("es2e", "load_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.Es2eRpcs.UNLOAD_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    Es2.RequestHeader h = req.getHeader();
                    checkHeader("es2e", "unload_key", h.getTypeValue(), 233, h.getId(), h.getTimestamp());
                    out.onNext(Es2e.UnloadKeyResponse.newBuilder().setHeader(es2eReply(Es2.MessageType.UnloadKey,
                            keyCall("es2e", "unload_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.Es2eRpcs.DELETE_KEY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (hold(out)) {
                        return;
                    }
                    Es2.RequestHeader h = req.getHeader();
                    checkHeader("es2e", "delete_key", h.getTypeValue(), 231, h.getId(), h.getTimestamp());
                    out.onNext(Es2e.DeleteKeyResponse.newBuilder().setHeader(es2eReply(Es2.MessageType.DeleteKey,
                            keyCall("es2e", "delete_key", req.getKeyId()))).build());
                    out.onCompleted();
                }))
                .addMethod(Rpcs.Es2eRpcs.REGISTER_KEY, ServerCalls.asyncClientStreamingCall(this::es2eRegister))
                .build();
    }

    private StreamObserver<Es2e.RegisterKeyRequest> es2eRegister(StreamObserver<Es2e.RegisterKeyResponse> out) {
        return new StreamObserver<Es2e.RegisterKeyRequest>() {
                    final Registration reg = new Registration("es2e");
                    Es2.KeyInfo info;
                    boolean failed;

                    @Override
                    public void onNext(Es2e.RegisterKeyRequest q) {
                        if (failed) {
                            return;
                        }
                        if (reg.frames == 0) {
                            Es2.RequestHeader h = q.getHeader();
                            checkHeader("es2e", "register_key", h.getTypeValue(), 130, h.getId(), h.getTimestamp());
                        }
                        info = q.getKeyInfo();
                        reg.frame(q.getHeader().toString(), info.getKeyId(), info.getType(), info.getPreset(),
                                info.getEvalMode(), info.getSha256Sum(), info.getIsLoaded(), q.getKey().getSize(),
                                q.getKey().getValue(), -1);
                        if (unavailableAfterFrames >= 0 && reg.frames >= unavailableAfterFrames) {
                            failed = true;
                            unavailableAfterFrames = -1;
                            out.onError(Status.UNAVAILABLE.withDescription("fake: injected outage").asRuntimeException());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        cancelledStreams.add("es2e/register_key " + (info == null ? "" : info.getKeyId()));
                    }

                    @Override
                    public void onCompleted() {
                        if (failed || neverAnswer) {
                            return;
                        }
                        Injected r = reg.complete(info == null ? "" : info.getKeyId(), info == null ? "" : info.getType(),
                                info == null ? "" : info.getPreset(), info == null ? "" : info.getEvalMode(),
                                info == null ? "" : info.getSha256Sum());
                        out.onNext(Es2e.RegisterKeyResponse.newBuilder()
                                .setHeader(es2eReply(Es2.MessageType.RegisterKey, r)).build());
                        out.onCompleted();
                    }
                };
    }

    // ---------------------------------------------------------------- interceptors

    /** Adds the server version to the trailing metadata of v2 get_key_list. */
    private final class VersionTrailer implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            if (!call.getMethodDescriptor().getFullMethodName().endsWith("/get_key_list")) {
                return next.startCall(call, headers);
            }
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    if (version != null) {
                        trailers.put(oldVersionKey ? ServerProtocol.OLD_VERSION_KEY : ServerProtocol.VERSION_KEY, version);
                    }
                    super.close(status, trailers);
                }
            }, headers);
        }
    }

    /** Records the authorization entry; with tokens required, refuses a missing or unknown one. */
    private final class Auth implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            String auth = headers.get(GrpcTransport.AUTHORIZATION);
            authorizations.add(auth);
            if (requireToken && (auth == null || !acceptedTokens.contains(auth))) {
                call.close(Status.UNAUTHENTICATED.withDescription("fake: bad or expired token"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            if (!requireToken && auth != null) {
                violation("an authorization entry was sent without a token configured");
            }
            return next.startCall(call, headers);
        }
    }
}
