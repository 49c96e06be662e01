package io.evkeygen.server;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.server.internal.proto.HealthV1;
import io.evkeygen.spi.remote.Loopback;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One gRPC channel to an enVector-style service and what every call on it shares, whatever the
 * service: TLS or plaintext, the bearer token and its OAuth2 refresh (one retry), deadlines, the
 * standard health check (once, before the first call; skipped for a service without one, the KMS),
 * the replies' {@code header.return_code} (common to the enVector APIs and the KMS) and one-line
 * {@link ServerException}s. Service stubs (the key server's generations, {@link ServerProtocol};
 * the KMS client of {@code io.evkeygen.kms}) bring their method descriptors and requests: the
 * public surface is {@link #builder}, {@link #call}, {@link #serverStream} and {@link #close}.
 */
public final class GrpcTransport implements AutoCloseable {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int MAX_MESSAGE = 100 << 20;
    private static final String HEALTH_RPC = "grpc.health.v1.Health/Check";
    private static final System.Logger LOG = System.getLogger(GrpcTransport.class.getName());

    /**
     * The one line a reply with a non-Success return code becomes.
     */
    @FunctionalInterface
    public interface ReplyError {
        /**
         * @param rpc     the call, as the caller named it
         * @param code    the return code's number
         * @param name    its name ({@code unknown} for a number the enum does not have)
         * @param message the server's error_message, escaped and stripped (may be empty)
         */
        String line(String rpc, int code, String name, String message);
    }

    /** The key server's wording: {@code <rpc>: the server returned <Name>: <message>}. */
    static final ReplyError SERVER_REPLY = (rpc, code, name, message) -> rpc + ": the server returned " + name
            + (message.isEmpty() ? " (no message)" : ": " + message);

    private final String address;
    private final ManagedChannel channel;
    private final ServerAuth auth;
    private final Duration callTimeout;
    private final Duration streamTimeout;
    private final String unimplementedHint;
    private final ReplyError replyError;
    private volatile boolean healthChecked;

    private GrpcTransport(Builder b, ChannelCredentials credentials) {
        this.address = b.host + ":" + b.port;
        this.auth = b.auth;
        this.callTimeout = b.callTimeout;
        this.streamTimeout = b.streamTimeout;
        this.unimplementedHint = b.unimplementedHint;
        this.replyError = b.replyError;
        this.healthChecked = !b.healthCheck;
        this.channel = Grpc.newChannelBuilderForAddress(b.host, b.port, credentials)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE)
                .userAgent("evkeygen")
                .build();
    }

    /**
     * A hand-written method descriptor over protobuf marshallers: the services' stubs (the key server's
     * {@code Rpcs}, the KMS's {@code KmsRpcs}) are written this way, which keeps protoc-gen-grpc-java
     * (a native binary whose versions run ahead of the gRPC runtime) out of the build.
     */
    public static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
            String service, String name, MethodDescriptor.MethodType type, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    /**
     * A builder for a channel to {@code address} ({@code HOST:PORT}, {@code [v6]:PORT} for IPv6);
     * a malformed address is a usage error naming it as {@code what} (e.g. "KMS address").
     */
    public static Builder builder(String address, String what) {
        return new Builder(Target.parse(address, what));
    }

    /** The address spoken to, {@code HOST:PORT}. */
    public String address() {
        return address;
    }

    /** Where a channel goes: a host as written (brackets of an IPv6 literal removed) and a port. */
    record Target(String host, int port) {
        /**
         * Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6); a usage error names the address as
         * {@code what} (e.g. "server address").
         */
        static Target parse(String address, String what) {
            if (address == null || address.isBlank()) {
                throw KeygenException.usage("a " + what + " HOST:PORT is required");
            }
            String a = address.strip();
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || colon == a.length() - 1 || (a.indexOf(':') != colon && !a.startsWith("["))) {
                throw KeygenException.usage(what + " '" + a + "' is not HOST:PORT");
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
                throw KeygenException.usage(what + " '" + a + "' has no valid port (1..65535)");
            }
            return new Target(h, p);
        }
    }

    /** A unary call's reply with the metadata the server sent around it. */
    record Answer<R>(R response, Metadata headers, Metadata trailers) {
        <T> Answer<T> map(Function<R, T> f) {
            return new Answer<>(f.apply(response), headers, trailers);
        }
    }

    /** A probing call the server answered UNIMPLEMENTED (its cause is the gRPC status). */
    static final class Unimplemented extends RuntimeException {
        Unimplemented(Throwable cause) {
            super(cause);
        }
    }

    /**
     * One unary call with a deadline and the bearer token; on UNAUTHENTICATED, PERMISSION_DENIED or
     * ReturnCode AuthenticationError in OAuth2 mode, refreshes and retries once. A non-Success return
     * code is a {@link ServerException}; so is a failed call, except UNIMPLEMENTED when
     * {@code probing} ({@link Unimplemented}: the caller tries another service).
     */
    <Q, R extends Message> Answer<R> unary(String rpc, MethodDescriptor<Q, R> method, Supplier<Q> request,
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
                if (code == Status.Code.UNIMPLEMENTED && probing) {
                    throw new Unimplemented(e);
                }
                throw failure(rpc, method.getServiceName(), e.getStatus(), callTimeout);
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
     * One unary call as {@link #unary} says (deadline, token, one refresh-and-retry in OAuth2 mode,
     * the reply's return code checked): its reply, or a {@link ServerException} naming {@code rpc}.
     */
    public <Q, R extends Message> R call(String rpc, MethodDescriptor<Q, R> method, Supplier<Q> request) {
        return unary(rpc, method, request, false).response();
    }

    /**
     * A server-streaming call with the bearer token and the stream deadline, read one reply at a
     * time: gRPC asks the server for a message only as replies are taken (its blocking iterator
     * asks for the next while the current one is read), so at most two replies are held. Each
     * reply's return code is checked. In OAuth2 mode a call refused
     * for its token before its first reply is retried once after a refresh.
     */
    public <Q, R extends Message> Replies<R> serverStream(String rpc, MethodDescriptor<Q, R> method, Q request) {
        checkHealth();
        return new Replies<>(rpc, method, request);
    }

    /**
     * The replies of one {@link #serverStream}, for one reader at a time; close it to cancel a call
     * not read to its end.
     */
    public final class Replies<R extends Message> implements AutoCloseable {
        private final String rpc;
        private final MethodDescriptor<?, R> method;
        private final Supplier<Iterator<R>> start;
        private Context.CancellableContext context;
        private Iterator<R> replies;
        private boolean received;
        private boolean retried;
        private boolean ended;

        private <Q> Replies(String rpc, MethodDescriptor<Q, R> method, Q request) {
            this.rpc = rpc;
            this.method = method;
            this.start = () -> {
                Channel ch = ClientInterceptors.intercept(channel,
                        MetadataUtils.newAttachHeadersInterceptor(authHeaders()));
                return ClientCalls.blockingServerStreamingCall(ch, method, options(streamTimeout), request);
            };
        }

        /** The next reply, its return code Success; null once the server has ended the stream. */
        public R next() {
            if (ended) {
                return null;
            }
            while (true) {
                if (replies == null) {
                    context = Context.current().withCancellation();
                    Context previous = context.attach(); // the call is made and started inside it: close() cancels it
                    try {
                        replies = start.get();
                    } finally {
                        context.detach(previous);
                    }
                }
                R reply;
                try {
                    if (!replies.hasNext()) {
                        ended = true;
                        return null;
                    }
                    reply = replies.next();
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (mayRetry() && (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED)) {
                        restart();
                        continue;
                    }
                    ended = true;
                    throw failure(rpc, method.getServiceName(), e.getStatus(), streamTimeout);
                }
                if (mayRetry() && "AuthenticationError".equals(returnCode(reply))) {
                    restart();
                    continue;
                }
                received = true;
                try {
                    check(rpc, reply);
                } catch (ServerException e) {
                    close();
                    throw e;
                }
                return reply;
            }
        }

        private boolean mayRetry() {
            return !received && !retried && auth.refreshable();
        }

        private void restart() {
            retried = true;
            context.cancel(null);
            replies = null;
            refresh();
        }

        /** Cancels the call unless the server has ended it. */
        @Override
        public void close() {
            ended = true;
            if (context != null) {
                context.cancel(null);
            }
        }
    }

    /**
     * A new client-streaming (or bidirectional) call with the bearer token and the stream deadline,
     * not yet started. Its failure is told by {@link #streamFailure}, its reply checked by {@link #check}.
     */
    <Q, R> ClientCall<Q, R> newStream(MethodDescriptor<Q, R> method) {
        checkHealth();
        Channel ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(authHeaders()));
        return ch.newCall(method, options(streamTimeout));
    }

    /** What a failed stream of {@link #newStream} throws. */
    ServerException streamFailure(String rpc, MethodDescriptor<?, ?> method, Throwable t) {
        return failure(rpc, method.getServiceName(), Status.fromThrowable(t), streamTimeout);
    }

    /**
     * Asks the standard health service once, before the first call (as the Python SDK does): a
     * server that says it is not serving is refused; one without the service (UNIMPLEMENTED, as
     * ES2E servers may be) is used as it is.
     */
    void checkHealth() {
        if (healthChecked) {
            return;
        }
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
            throw failure(HEALTH_RPC, Rpcs.HEALTH_SERVICE, e.getStatus(), callTimeout);
        }
        if (r.getStatus() != HealthV1.HealthCheckResponse.ServingStatus.SERVING) {
            throw new ServerException(HEALTH_RPC, null, null, "the server at " + address + " reports " + r.getStatus()
                    + " (" + HEALTH_RPC + ")", null);
        }
        healthChecked = true;
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

    private static CallOptions options(Duration timeout) {
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
        if (code.getNumber() == 1) {
            return "Success";
        }
        // a number the enum lacks gets a made-up descriptor: its name is not the server's
        return code.getType().findValueByNumber(code.getNumber()) == null ? "unknown" : code.getName();
    }

    /** A non-Success return code is an error naming the call, the code and the server's message. */
    void check(String rpc, Message response) {
        String code = returnCode(response);
        if (code == null || code.equals("Success")) {
            return;
        }
        Message header = (Message) response.getField(response.getDescriptorForType().findFieldByName("header"));
        EnumValueDescriptor value = (EnumValueDescriptor) header.getField(header.getDescriptorForType()
                .findFieldByName("return_code"));
        String message = (String) header.getField(header.getDescriptorForType().findFieldByName("error_message"));
        throw new ServerException(rpc, code, null, replyError.line(rpc, value.getNumber(), code,
                Printable.escape(message.strip())), null);
    }

    private ServerException failure(String rpc, String service, Status status, Duration timeout) {
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
            line = rpc + " to " + address + ": no answer within " + timeout.toMillis() / 1000.0 + " s (deadline exceeded)";
        } else if (code == Status.Code.UNIMPLEMENTED) {
            line = "the server at " + address + " does not implement " + rpc + " of " + service + unimplementedHint;
        } else {
            line = rpc + " to " + address + " failed: " + code
                    + (status.getDescription() == null ? "" : ": " + Printable.escape(status.getDescription()));
        }
        return new ServerException(rpc, null, code.name(), line, printable(status));
    }

    /** {@link #printable} of the status a gRPC failure carries, as a plain cause (callers then link no gRPC exception type). */
    static Throwable printableCause(Throwable grpcFailure) {
        return printable(Status.fromThrowable(grpcFailure));
    }

    /**
     * The status as the cause of our exception, its description (the server's words, or a non-gRPC
     * answer's headers and body) escaped: a stack trace under --debug or in a host's log shows it too.
     */
    static StatusRuntimeException printable(Status status) {
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

    /**
     * TLS with the system trust store, TLS trusting only {@code caCert}, or plaintext, which is
     * refused to a host that is not loopback unless {@code allowPlaintextRemote} (then warned).
     */
    static ChannelCredentials credentials(String host, int port, boolean insecure, boolean allowPlaintextRemote,
                                          Path caCert, Consumer<String> warnings) {
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

    /**
     * Connection settings: TLS with the system trust store unless told otherwise, no token, 30 s
     * per unary call, 1 h per stream, the standard health check before the first call, the key
     * server's wording of a non-Success reply.
     */
    public static final class Builder {
        private final String host;
        private final int port;
        private boolean insecure;
        private boolean allowPlaintextRemote;
        private Consumer<String> warnings = w -> LOG.log(System.Logger.Level.WARNING, w);
        private Path caCert;
        private ServerAuth auth = ServerAuth.none();
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration streamTimeout = Duration.ofHours(1);
        private boolean healthCheck = true;
        private String unimplementedHint = "";
        private ReplyError replyError = SERVER_REPLY;

        private Builder(Target target) {
            this.host = target.host();
            this.port = target.port();
        }

        /**
         * Plaintext HTTP/2, for a service on this machine: {@code localhost}, 127.0.0.0/8 or
         * {@code ::1} (as spelled; a name is not resolved). To another host it is refused at
         * {@link #build()}, since the bearer token would cross the network in clear, unless
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

        /** Deadline of each unary call (the caller checks its range: {@link #deadline}). */
        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        /** Deadline of a whole streaming call. */
        public Builder streamTimeout(Duration value) {
            this.streamTimeout = value;
            return this;
        }

        /** Whether to ask grpc.health.v1 before the first call (default true; the KMS has no such service). */
        public Builder healthCheck(boolean value) {
            this.healthCheck = value;
            return this;
        }

        /** Appended to the message of an UNIMPLEMENTED call (default none). */
        public Builder unimplementedHint(String value) {
            this.unimplementedHint = value == null ? "" : value;
            return this;
        }

        /** How a non-Success reply reads (default: the key server's wording). */
        public Builder replyError(ReplyError value) {
            this.replyError = value == null ? SERVER_REPLY : value;
            return this;
        }

        /** The channel; plaintext to a host that is not loopback, or a bad CA file, is a usage error. */
        public GrpcTransport build() {
            auth.clientRules(allowPlaintextRemote, warnings, callTimeout);
            return new GrpcTransport(this, credentials(host, port, insecure, allowPlaintextRemote, caCert, warnings));
        }
    }

    /**
     * {@code value} as a deadline: more than 0 and at most {@code max} (whole days), or a usage error
     * naming {@code what}.
     */
    public static Duration deadline(Duration value, Duration max, String what) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw KeygenException.usage(what + " must be more than 0 and at most " + max.toDays() + " day"
                    + (max.toDays() == 1 ? "" : "s") + ", not " + value);
        }
        return value;
    }
}
