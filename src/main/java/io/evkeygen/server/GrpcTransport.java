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
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One gRPC channel to an enVector-style service and what every call on it shares, whatever the
 * service: TLS or plaintext, the bearer token and its OAuth2 refresh (one retry), deadlines, the
 * standard health check (once, before the first call), the replies' {@code header.return_code}
 * (common to the enVector APIs) and one-line {@link ServerException}s. Service stubs (the key
 * server's generations, {@link ServerProtocol}) bring their method descriptors and requests.
 */
final class GrpcTransport implements AutoCloseable {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final int MAX_MESSAGE = 100 << 20;
    private static final String HEALTH_RPC = "grpc.health.v1.Health/Check";

    private final String address;
    private final ManagedChannel channel;
    private final ServerAuth auth;
    private final Duration callTimeout;
    private final Duration streamTimeout;
    private final String unimplementedHint;
    private volatile boolean healthChecked;

    /**
     * @param unimplementedHint appended to the message of an UNIMPLEMENTED call (empty for none)
     */
    GrpcTransport(String host, int port, ChannelCredentials credentials, ServerAuth auth, Duration callTimeout,
                  Duration streamTimeout, String unimplementedHint) {
        this.address = host + ":" + port;
        this.auth = auth;
        this.callTimeout = callTimeout;
        this.streamTimeout = streamTimeout;
        this.unimplementedHint = unimplementedHint;
        this.channel = Grpc.newChannelBuilderForAddress(host, port, credentials)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE)
                .userAgent("evkeygen")
                .build();
    }

    /** The address spoken to, {@code HOST:PORT}. */
    String address() {
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
        return code.getNumber() == 1 ? "Success" : code.getName();
    }

    /** A non-Success return code is an error naming the call, the code and the server's message. */
    static void check(String rpc, Message response) {
        String code = returnCode(response);
        if (code == null || code.equals("Success")) {
            return;
        }
        Message header = (Message) response.getField(response.getDescriptorForType().findFieldByName("header"));
        String message = (String) header.getField(header.getDescriptorForType().findFieldByName("error_message"));
        throw new ServerException(rpc, code, null, rpc + ": the server returned " + code
                + (message.isEmpty() ? " (no message)" : ": " + Printable.escape(message.strip())), null);
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
}
