package io.evkeygen.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.server.internal.proto.CommonV2;
import io.evkeygen.server.internal.proto.EndpointV2;
import io.evkeygen.server.internal.proto.Es2;
import io.evkeygen.server.internal.proto.Es2e;
import io.evkeygen.server.internal.proto.HealthV1;
import io.evkeygen.spi.remote.Loopback;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A key client of an enVector server (SERVER-KEYS.md): lists, describes, registers, loads, unloads
 * and deletes EvalKeys, and runs the auto-setup sequence ({@link #activate}). Speaks both API
 * generations: v2 ({@code endpoint.v2.EndpointService}) and ES2E ({@code ES2E.ES2EService}); with
 * {@link ServerApi#AUTO} it asks v2 first and falls back to ES2E when the server answers
 * UNIMPLEMENTED. TLS with the system trust store by default. Every call has a deadline; the channel
 * pings every 30 s. Thread-safe; close it when done.
 */
public final class EnvectorClient implements AutoCloseable {
    /** The longest deadline of a unary call: a day (a longer one is no deadline at all). */
    public static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(1);
    /** The longest deadline of a register_key upload: a week. */
    public static final Duration MAX_REGISTER_TIMEOUT = Duration.ofDays(7);
    /** The largest register_key frame: 1 MiB. */
    public static final int FRAME_SIZE = 1 << 20;
    /** The trailing-metadata keys a v2 server reports its version in (the second on older servers). */
    static final Metadata.Key<String> VERSION_KEY =
            Metadata.Key.of("x-envector-endpoint-version", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> OLD_VERSION_KEY =
            Metadata.Key.of("x-es2e-server-version", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int MAX_MESSAGE = 100 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger(EnvectorClient.class.getName());

    private final String address;
    private final ManagedChannel channel;
    private final ServerAuth auth;
    private final ServerApi requested;
    private final Duration callTimeout;
    private final Duration registerTimeout;
    private volatile ServerApi resolved;
    private volatile boolean healthChecked;
    private volatile Optional<String> serverVersion = Optional.empty();

    private EnvectorClient(Builder b) {
        this.address = b.host + ":" + b.port;
        this.auth = b.auth;
        this.requested = b.api;
        this.callTimeout = b.callTimeout;
        this.registerTimeout = b.registerTimeout;
        this.channel = Grpc.newChannelBuilderForAddress(b.host, b.port, b.credentials())
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE)
                .userAgent("evkeygen")
                .build();
        if (requested != ServerApi.AUTO) {
            resolved = requested;
        }
    }

    /** A builder for the server at {@code address} ({@code HOST:PORT}, {@code [v6]:PORT} for IPv6). */
    public static Builder builder(String address) {
        return new Builder(address);
    }

    /** The address spoken to, {@code HOST:PORT}. */
    public String address() {
        return address;
    }

    /** The API generation in use, asking the server (one get_key_list) when it is {@link ServerApi#AUTO}. */
    public ServerApi api() {
        return resolve();
    }

    /** The version the server reported in a v2 get_key_list's trailing metadata, if it did. Never refused. */
    public Optional<String> serverVersion() {
        return serverVersion;
    }

    // ---------------------------------------------------------------- calls

    /** {@code get_key_list}: the registered key ids, the API spoken and the server's version. */
    public KeyListing listKeys() {
        ServerApi api = resolved;
        if (api != null) {
            return list(api);
        }
        try {
            KeyListing l = list(ServerApi.V2);
            resolved = ServerApi.V2;
            return l;
        } catch (Unimplemented v2) {
            try {
                KeyListing l = list(ServerApi.ES2E);
                resolved = ServerApi.ES2E;
                return l;
            } catch (Unimplemented es2e) {
                throw new ServerException("get_key_list", null, "UNIMPLEMENTED", "the server at " + address
                        + " speaks neither enVector API (" + Rpcs.V2_SERVICE + " and " + Rpcs.ES2E_SERVICE
                        + " are both unimplemented)", printable(Status.fromThrowable(es2e.getCause())));
            }
        }
    }

    /** {@code get_key_info} (v2 only). */
    public ServerKeyInfo keyInfo(String keyId) {
        requireId(keyId);
        if (resolve() != ServerApi.V2) {
            throw KeygenException.usage("get_key_info is a v2 call; the server at " + address + " speaks ES2E");
        }
        EndpointV2.GetKeyInfoResponse r = unary("get_key_info", Rpcs.V2.GET_KEY_INFO,
                () -> EndpointV2.GetKeyInfoRequest.newBuilder().setHeader(v2Header(CommonV2.MessageType.GetKeyInfo))
                        .setKeyId(keyId).build()).response;
        CommonV2.KeyInfo k = r.getKeyInfo();
        return new ServerKeyInfo(k.getKeyId().isEmpty() ? keyId : k.getKeyId(), k.getType(), k.getPreset(),
                k.getEvalMode(), k.getSha256Sum(), k.getIsLoaded());
    }

    /** {@code load_key}: makes {@code keyId} the server's loaded key. */
    public void load(String keyId) {
        requireId(keyId);
        if (resolve() == ServerApi.V2) {
            unary("load_key", Rpcs.V2.LOAD_KEY, () -> EndpointV2.LoadKeyRequest.newBuilder()
                    .setHeader(v2Header(CommonV2.MessageType.LoadKey)).setKeyId(keyId).build());
        } else {
            unary("load_key", Rpcs.Es2eRpcs.LOAD_KEY, () -> Es2e.LoadKeyRequest.newBuilder()
                    .setHeader(es2eHeader(Es2.MessageType.LoadKey)).setKeyId(keyId).build());
        }
    }

    /** {@code unload_key}. */
    public void unload(String keyId) {
        requireId(keyId);
        if (resolve() == ServerApi.V2) {
            unary("unload_key", Rpcs.V2.UNLOAD_KEY, () -> EndpointV2.UnloadKeyRequest.newBuilder()
                    .setHeader(v2Header(CommonV2.MessageType.UnloadKey)).setKeyId(keyId).build());
        } else {
            unary("unload_key", Rpcs.Es2eRpcs.UNLOAD_KEY, () -> Es2e.UnloadKeyRequest.newBuilder()
                    .setHeader(es2eHeader(Es2.MessageType.UnloadKey)).setKeyId(keyId).build());
        }
    }

    /** {@code delete_key}: removes a registered key from the server. */
    public void delete(String keyId) {
        requireId(keyId);
        if (resolve() == ServerApi.V2) {
            unary("delete_key", Rpcs.V2.DELETE_KEY, () -> EndpointV2.DeleteKeyRequest.newBuilder()
                    .setHeader(v2Header(CommonV2.MessageType.DeleteKey)).setKeyId(keyId).build());
        } else {
            unary("delete_key", Rpcs.Es2eRpcs.DELETE_KEY, () -> Es2e.DeleteKeyRequest.newBuilder()
                    .setHeader(es2eHeader(Es2.MessageType.DeleteKey)).setKeyId(keyId).build());
        }
    }

    /**
     * {@code register_key}: streams the payload's EvalKey.bin in frames of at most 1 MiB under the
     * envelope's key id, as flow control allows. A payload whose bytes do not hash to the
     * envelope's sha256sum cancels the stream (the server never sees it completed).
     *
     * @return what was registered (key id, preset, eval mode, length and hash)
     */
    public KeySet.EvalKeyDigest register(EvalKeyPayload payload, UploadProgress progress) throws IOException {
        KeySet.EvalKeyDigest d = payload.describe();
        upload(d.keyId(), payload, d, progress);
        return d;
    }

    /**
     * Asks the health service (once per client, as before any call) and finds the API generation:
     * throws {@link ServerException} when the server cannot be reached or speaks no enVector API.
     * Callers about to do lasting work for the server (generate a key set) ask this first.
     */
    public void checkReachable() {
        checkHealth();
        resolve();
    }

    /**
     * The auto-setup sequence: {@code get_key_list}; {@code register_key} when {@code keyId} is not
     * listed; {@code unload_key} for every other listed id; {@code load_key} unless (v2)
     * {@code get_key_info} says it is loaded already. Repeating it is harmless.
     *
     * <p>A listed id is trusted only when the server holds our EvalKey under it: with v2,
     * {@code get_key_info}'s sha256sum must be the payload's, or the activation is refused (STORE)
     * before anything is unloaded. ES2E has no {@code get_key_info}: the server's key is then used
     * unchecked, and the report says so ({@link ActivationReport#evalKeyChecked()}).
     */
    public ActivationReport activate(String keyId, EvalKeyPayload payload, UploadProgress progress)
            throws IOException {
        requireId(keyId);
        KeyListing listing = listKeys();
        boolean register = !listing.keyIds().contains(keyId);
        ServerKeyInfo info = null;
        if (register) {
            upload(keyId, payload, payload.describe(), progress);
        } else if (listing.api() == ServerApi.V2) {
            info = keyInfo(keyId);
            ListedKeyCheck.requireOurs(keyId, info.sha256sum(), payload);
        }
        List<String> unloaded = new ArrayList<>();
        for (String other : listing.keyIds()) {
            if (!other.equals(keyId)) {
                unload(other);
                unloaded.add(other);
            }
        }
        boolean load = listing.api() != ServerApi.V2 || !(info != null ? info : keyInfo(keyId)).loaded();
        if (load) {
            load(keyId);
        }
        boolean checked = register || (info != null && !info.sha256sum().isEmpty());
        return new ActivationReport(keyId, false, register, checked, unloaded, load, listing.api(), serverVersion);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- generations

    private KeyListing list(ServerApi api) {
        Answer<? extends Message> a;
        List<String> ids;
        if (api == ServerApi.V2) {
            Answer<EndpointV2.GetKeyListResponse> v2 = unary("get_key_list", Rpcs.V2.GET_KEY_LIST,
                    () -> EndpointV2.GetKeyListRequest.newBuilder().setHeader(v2Header(CommonV2.MessageType.GetKeyList)).build(),
                    true);
            ids = v2.response.getKeyIdList();
            a = v2;
        } else {
            Answer<Es2e.GetKeyListResponse> es = unary("get_key_list", Rpcs.Es2eRpcs.GET_KEY_LIST,
                    () -> Es2e.GetKeyListRequest.newBuilder().setHeader(es2eHeader(Es2.MessageType.GetKeyList)).build(),
                    true);
            ids = es.response.getKeyIdList();
            a = es;
        }
        Optional<String> version = version(a.trailers).or(() -> version(a.headers));
        if (version.isPresent()) {
            serverVersion = version;
        }
        return new KeyListing(ids, api, version);
    }

    private static Optional<String> version(Metadata md) {
        if (md == null) {
            return Optional.empty();
        }
        String v = md.get(VERSION_KEY);
        return Optional.ofNullable(v != null ? v : md.get(OLD_VERSION_KEY));
    }

    private ServerApi resolve() {
        ServerApi api = resolved;
        return api != null ? api : listKeys().api();
    }

    /** v2 request headers: the method's type, 20 random lower-case hex characters, the time in seconds. */
    static CommonV2.RequestHeader v2Header(CommonV2.MessageType type) {
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        return CommonV2.RequestHeader.newBuilder().setType(type).setId(java.util.HexFormat.of().formatHex(id))
                .setTimestamp(System.currentTimeMillis() / 1000).build();
    }

    /** ES2E request headers: the method's type only (the Go SDK leaves id and timestamp unset). */
    static Es2.RequestHeader es2eHeader(Es2.MessageType type) {
        return Es2.RequestHeader.newBuilder().setType(type).build();
    }

    private void upload(String keyId, EvalKeyPayload payload, KeySet.EvalKeyDigest d, UploadProgress progress)
            throws IOException {
        if (!keyId.equals(d.keyId())) {
            throw KeygenException.invalidKey(payload.source() + " holds the EvalKey of key id '" + d.keyId()
                    + "', not '" + keyId + "'");
        }
        ServerApi api = resolve();
        String preset = d.preset();
        String mode = d.evalMode().name();
        if (api == ServerApi.V2) {
            CommonV2.RequestHeader header = v2Header(CommonV2.MessageType.RegisterKey);
            CommonV2.KeyInfo info = CommonV2.KeyInfo.newBuilder().setKeyId(keyId).setType("EvalKey")
                    .setPreset(preset.toUpperCase(Locale.ROOT)).setEvalMode(mode.toUpperCase(Locale.ROOT))
                    .setSha256Sum(d.sha256Hex()).build();
            stream(Rpcs.V2.REGISTER_KEY, (chunk, first) -> EndpointV2.RegisterKeyRequest.newBuilder()
                    .setHeader(header).setKeyInfo(info)
                    .setKey(CommonV2.Key.newBuilder().setSize(chunk.size()).setValue(chunk))
                    .setTotalSize(d.length()).build(), payload, d, progress);
        } else {
            Es2.RequestHeader header = es2eHeader(Es2.MessageType.RegisterKey);
            Es2.KeyInfo info = Es2.KeyInfo.newBuilder().setKeyId(keyId).setType("EvalKey")
                    .setPreset(preset.toLowerCase(Locale.ROOT)).setEvalMode(mode.toLowerCase(Locale.ROOT))
                    .setSha256Sum(d.sha256Hex()).build();
            stream(Rpcs.Es2eRpcs.REGISTER_KEY, (chunk, first) -> Es2e.RegisterKeyRequest.newBuilder()
                    .setHeader(header).setKeyInfo(info)
                    .setKey(Es2.Key.newBuilder().setSize(d.length()).setValue(chunk)).build(), payload, d, progress);
        }
    }

    private <Q, R extends Message> void stream(MethodDescriptor<Q, R> method, BiFunction<ByteString, Boolean, Q> frame,
                                               EvalKeyPayload payload, KeySet.EvalKeyDigest d,
                                               UploadProgress progress) throws IOException {
        String rpc = "register_key";
        checkHealth();
        Upload<Q, R> up = new Upload<>(frame, d.length(), FRAME_SIZE, progress == null ? UploadProgress.NONE : progress);
        Channel ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(authHeaders()));
        ClientCalls.asyncClientStreamingCall(ch.newCall(method, options(registerTimeout)), up);
        R response;
        try {
            KeySet.EvalKeyDigest again = payload.stream(up);
            up.finish();
            String sentHash = up.sha256Hex();
            if (up.sent() != d.length() || !sentHash.equals(d.sha256Hex()) || !again.equals(d)) {
                throw KeygenException.invalidKey(payload.source() + " changed while it was sent (" + up.sent()
                        + " bytes with SHA-256 " + sentHash + ", the envelope says " + d.length() + " bytes with "
                        + d.sha256Hex() + "): registration cancelled");
            }
            response = up.complete();
        } catch (Upload.CallFailed e) {
            up.cancel("register_key failed", null);
            throw failure(rpc, Status.fromThrowable(e.getCause()));
        } catch (IOException | RuntimeException | Error e) {
            up.cancel("register_key abandoned by the client", e);
            if (e instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        check(rpc, response);
    }

    // ---------------------------------------------------------------- plumbing

    private record Answer<R>(R response, Metadata headers, Metadata trailers) {}

    /** Signals an UNIMPLEMENTED get_key_list while the API generation is being found. */
    private static final class Unimplemented extends RuntimeException {
        Unimplemented(Throwable cause) {
            super(cause);
        }
    }

    private <Q, R extends Message> Answer<R> unary(String rpc, MethodDescriptor<Q, R> method, Supplier<Q> request) {
        return unary(rpc, method, request, false);
    }

    /**
     * One unary call with a deadline and the bearer token; on UNAUTHENTICATED, PERMISSION_DENIED or
     * ReturnCode AuthenticationError in OAuth2 mode, refreshes and retries once.
     */
    private <Q, R extends Message> Answer<R> unary(String rpc, MethodDescriptor<Q, R> method, Supplier<Q> request,
                                                   boolean probing) {
        checkHealth();
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = attempt == 0 && auth.refreshable();
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            Channel ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(authHeaders()),
                    MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
            R response;
            try {
                response = ClientCalls.blockingUnaryCall(ch, method, options(callTimeout), request.get());
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (mayRetry && (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED)) {
                    refresh();
                    continue;
                }
                if (code == Status.Code.UNIMPLEMENTED && probing && requested == ServerApi.AUTO && resolved == null) {
                    throw new Unimplemented(e);
                }
                throw failure(rpc, e.getStatus());
            }
            if (mayRetry && "AuthenticationError".equals(returnCode(response))) {
                refresh();
                continue;
            }
            check(rpc, response);
            return new Answer<>(response, headers.get(), trailers.get());
        }
    }

    /**
     * Asks the standard health service once, before the first call (as the Python SDK does): a
     * server that says it is not serving is refused; one without the service (UNIMPLEMENTED, as
     * ES2E servers may be) is used as it is.
     */
    private void checkHealth() {
        if (healthChecked) {
            return;
        }
        String rpc = "grpc.health.v1.Health/Check";
        HealthV1.HealthCheckResponse r;
        try {
            Channel ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(authHeaders()));
            r = ClientCalls.blockingUnaryCall(ch, Rpcs.HEALTH_CHECK, options(callTimeout),
                    HealthV1.HealthCheckRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNIMPLEMENTED || code == Status.Code.UNAUTHENTICATED
                    || code == Status.Code.PERMISSION_DENIED) {
                healthChecked = true; // no health service, or one behind auth: the calls themselves will tell
                return;
            }
            throw failure(rpc, e.getStatus());
        }
        if (r.getStatus() != HealthV1.HealthCheckResponse.ServingStatus.SERVING) {
            throw new ServerException(rpc, null, null, "the server at " + address + " reports " + r.getStatus()
                    + " (" + rpc + ")", null);
        }
        healthChecked = true;
    }

    private void refresh() {
        try {
            auth.refresh();
        } catch (IOException e) {
            throw new KeygenException(KeygenException.Kind.STORE, "OAuth2 token refresh failed: " + e.getMessage(), e);
        }
    }

    private Metadata authHeaders() {
        Metadata md = new Metadata();
        String token;
        try {
            token = auth.bearer();
        } catch (IOException e) {
            throw new KeygenException(KeygenException.Kind.STORE, "OAuth2 token refresh failed: " + e.getMessage(), e);
        }
        if (token != null) {
            md.put(AUTHORIZATION, "Bearer " + token);
        }
        return md;
    }

    private CallOptions options(Duration timeout) {
        return CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .withMaxOutboundMessageSize(MAX_MESSAGE).withMaxInboundMessageSize(MAX_MESSAGE);
    }

    /** The response header's return code name, or null when the response has no header (success). */
    private static String returnCode(Message response) {
        if (response == null) {
            return null;
        }
        FieldDescriptor hf = response.getDescriptorForType().findFieldByName("header");
        if (hf == null || !response.hasField(hf)) {
            return null;
        }
        Message header = (Message) response.getField(hf);
        EnumValueDescriptor code = (EnumValueDescriptor) header.getField(header.getDescriptorForType()
                .findFieldByName("return_code"));
        return code.getNumber() == 1 ? "Success" : code.getName();
    }

    /** A non-Success return code is an error naming the call, the code and the server's message. */
    private static void check(String rpc, Message response) {
        String code = returnCode(response);
        if (code == null || code.equals("Success")) {
            return;
        }
        Message header = (Message) response.getField(response.getDescriptorForType().findFieldByName("header"));
        String message = (String) header.getField(header.getDescriptorForType().findFieldByName("error_message"));
        throw new ServerException(rpc, code, null, rpc + ": the server returned " + code
                + (message.isEmpty() ? " (no message)" : ": " + Printable.escape(message.strip())), null);
    }

    private ServerException failure(String rpc, Status status) {
        Status.Code code = status.getCode();
        Throwable cause = status.getCause();
        String line;
        if (find(cause, SSLException.class) != null || find(cause, CertificateException.class) != null) {
            Throwable ssl = find(cause, CertificateException.class) != null
                    ? find(cause, CertificateException.class) : find(cause, SSLException.class);
            line = "TLS handshake with " + address + " failed: " + Printable.escape(ssl.getMessage())
                    + " (is the server's certificate signed by a trusted CA, and does the server speak TLS?)";
        } else if (find(cause, ConnectException.class) != null) {
            line = "cannot connect to " + address + ": connection refused (is the server running?)";
        } else if (find(cause, UnknownHostException.class) != null) {
            line = "cannot connect to " + address + ": unknown host";
        } else if (code == Status.Code.DEADLINE_EXCEEDED) {
            Duration t = rpc.equals("register_key") ? registerTimeout : callTimeout;
            line = rpc + " to " + address + ": no answer within " + t.toMillis() / 1000.0 + " s (deadline exceeded)";
        } else if (code == Status.Code.UNIMPLEMENTED) {
            ServerApi api = resolved != null ? resolved : requested;
            line = "the server at " + address + " does not implement " + rpc + " of "
                    + (api == ServerApi.ES2E ? Rpcs.ES2E_SERVICE : Rpcs.V2_SERVICE)
                    + (requested == ServerApi.AUTO ? "" : " (it may speak the other API generation)");
        } else {
            line = rpc + " to " + address + " failed: " + code
                    + (status.getDescription() == null ? "" : ": " + Printable.escape(status.getDescription()));
        }
        return new ServerException(rpc, null, code.name(), line, printable(status));
    }

    /**
     * The status as the cause of our exception, its description (the server's words, or a non-gRPC
     * answer's headers and body) escaped: a stack trace under --debug or in a host's log shows it too.
     */
    private static StatusRuntimeException printable(Status status) {
        return status.withDescription(Printable.escape(status.getDescription())).asRuntimeException();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static void requireId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "a key id is required");
        }
    }

    /** Connection settings. TLS with the system trust store unless told otherwise. */
    public static final class Builder {
        private final String host;
        private final int port;
        private boolean insecure;
        private boolean allowPlaintextRemote;
        private Consumer<String> warnings = w -> LOG.log(System.Logger.Level.WARNING, w);
        private Path caCert;
        private ServerAuth auth = ServerAuth.none();
        private ServerApi api = ServerApi.AUTO;
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration registerTimeout = Duration.ofHours(1);

        private Builder(String address) {
            if (address == null || address.isBlank()) {
                throw KeygenException.usage("a server address HOST:PORT is required");
            }
            String a = address.strip();
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || colon == a.length() - 1 || (a.indexOf(':') != colon && !a.startsWith("["))) {
                throw KeygenException.usage("server address '" + a + "' is not HOST:PORT");
            }
            String h = a.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw KeygenException.usage("server address '" + a + "' has no valid port (1..65535)");
            }
            this.host = h;
            this.port = p;
        }

        /**
         * Plaintext HTTP/2, for a server on this machine: {@code localhost}, 127.0.0.0/8 or {@code ::1}
         * (as spelled; a name is not resolved). To another host it is refused at {@link #build()},
         * since the bearer token and the EvalKeys would cross the network in clear, unless
         * {@link #allowPlaintextRemote(boolean)} says so.
         */
        public Builder insecure() {
            this.insecure = true;
            return this;
        }

        /** Allows {@link #insecure()} to a host that is not loopback (default false), with a warning. */
        public Builder allowPlaintextRemote(boolean value) {
            this.allowPlaintextRemote = value;
            return this;
        }

        /** Where a warning goes (default: this class's System.Logger, WARNING). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = sink == null ? w -> { } : sink;
            return this;
        }

        /** TLS trusting only the CA certificate(s) in this PEM file instead of the system trust store. */
        public Builder caCert(Path pemFile) {
            this.caCert = pemFile;
            return this;
        }

        public Builder auth(ServerAuth value) {
            this.auth = value == null ? ServerAuth.none() : value;
            return this;
        }

        public Builder api(ServerApi value) {
            this.api = value == null ? ServerApi.AUTO : value;
            return this;
        }

        /** Deadline of each unary call (default 30 s): more than 0, at most {@link #MAX_CALL_TIMEOUT}. */
        public Builder callTimeout(Duration value) {
            this.callTimeout = deadline(value, MAX_CALL_TIMEOUT, "the call timeout");
            return this;
        }

        /** Deadline of a whole register_key stream (default 1 h): more than 0, at most {@link #MAX_REGISTER_TIMEOUT}. */
        public Builder registerTimeout(Duration value) {
            this.registerTimeout = deadline(value, MAX_REGISTER_TIMEOUT, "the register timeout");
            return this;
        }

        private static Duration deadline(Duration value, Duration max, String what) {
            if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
                throw KeygenException.usage(what + " must be more than 0 and at most " + max.toDays() + " day"
                        + (max.toDays() == 1 ? "" : "s") + ", not " + value);
            }
            return value;
        }

        public EnvectorClient build() {
            return new EnvectorClient(this);
        }

        private ChannelCredentials credentials() {
            if (insecure && caCert != null) {
                throw KeygenException.usage("plaintext and a CA certificate exclude each other");
            }
            if (insecure) {
                if (!Loopback.isLoopback(host)) {
                    String where = "plaintext to " + host + ":" + port + ", which is not a loopback address,";
                    if (!allowPlaintextRemote) {
                        throw KeygenException.usage(KeygenException.Setting.PLAINTEXT_REMOTE, where
                                + " would send the bearer token and the EvalKeys in clear: use TLS, or allow it explicitly");
                    }
                    warnings.accept(where + " sends the bearer token and the EvalKeys in clear");
                }
                return InsecureChannelCredentials.create();
            }
            if (caCert == null) {
                return TlsChannelCredentials.create();
            }
            if (!Files.isRegularFile(caCert)) {
                throw KeygenException.usage("CA certificate " + caCert + " does not exist");
            }
            try {
                byte[] pem = Files.readAllBytes(caCert);
                // gRPC parses the file only when the channel is made, and fails there as "no channel
                // provider": parse it here, once, as it will (the message never quotes the content)
                if (!holdsCertificates(pem)) {
                    throw KeygenException.usage("CA certificate " + caCert + " is not a PEM certificate");
                }
                return TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(pem)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean holdsCertificates(byte[] pem) {
            try {
                return !CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty();
            } catch (CertificateException | RuntimeException e) {
                return false;
            }
        }
    }
}
