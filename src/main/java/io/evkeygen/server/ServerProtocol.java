package io.evkeygen.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.server.GrpcTransport.Answer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One generation of the enVector server API (SERVER-KEYS.md) over a {@link GrpcTransport}. A
 * generation brings its service's method descriptors, its request header, its register_key frames
 * and whether it can describe a key ({@code get_key_info}). get_key_list, load_key, unload_key and
 * delete_key carry {@code {1 header[, 2 key_id]}} and answer {@code {1 header[, 2 key_id list]}} in
 * every generation: they are built and read here once, by field name, with the generation's
 * descriptor and header.
 */
abstract class ServerProtocol {
    /** The generations {@link ServerApi#AUTO} asks, in order. */
    static final List<ServerApi> DETECTION_ORDER = List.of(ServerApi.V2, ServerApi.ES2E);
    /** The metadata keys a v2 server reports its version in (the second on older servers). */
    static final Metadata.Key<String> VERSION_KEY =
            Metadata.Key.of("x-envector-endpoint-version", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> OLD_VERSION_KEY =
            Metadata.Key.of("x-es2e-server-version", Metadata.ASCII_STRING_MARSHALLER);

    /** The key calls, with their names on the wire and their request header's MessageType name. */
    enum Call {
        GET_KEY_LIST("GetKeyList"), GET_KEY_INFO("GetKeyInfo"), REGISTER_KEY("RegisterKey"),
        LOAD_KEY("LoadKey"), UNLOAD_KEY("UnloadKey"), DELETE_KEY("DeleteKey");

        final String messageType;

        Call(String messageType) {
            this.messageType = messageType;
        }

        /** The method's name, e.g. {@code load_key}. */
        String rpc() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final GrpcTransport transport;
    private final ServerApi api;
    private final Map<String, MethodDescriptor<? extends Message, ? extends Message>> methods;

    /** {@code methods}: the generation's descriptors of the key calls it has. */
    ServerProtocol(GrpcTransport transport, ServerApi api,
                   List<MethodDescriptor<? extends Message, ? extends Message>> methods) {
        this.transport = transport;
        this.api = api;
        this.methods = methods.stream().collect(Collectors.toMap(MethodDescriptor::getBareMethodName, m -> m));
    }

    /** The protocol of {@code api} (never AUTO) on {@code transport}. */
    static ServerProtocol of(ServerApi api, GrpcTransport transport) {
        return switch (api) {
            case V2 -> new ApiV2Protocol(transport);
            case ES2E -> new Es2eProtocol(transport);
            case AUTO -> throw new IllegalArgumentException("AUTO is no API generation");
        };
    }

    /** The server version a reply's metadata reports, if it does. */
    static Optional<String> version(Metadata md) {
        if (md == null) {
            return Optional.empty();
        }
        String v = md.get(VERSION_KEY);
        return Optional.ofNullable(v != null ? v : md.get(OLD_VERSION_KEY));
    }

    final ServerApi api() {
        return api;
    }

    /** The full service name, as messages name it. */
    final String service() {
        return method(Call.GET_KEY_LIST).getServiceName();
    }

    /** The request header of {@code call}. */
    abstract Message header(Call call);

    /** What the server says about {@code keyId}; empty when this generation has no get_key_info. */
    abstract Optional<ServerKeyInfo> describe(String keyId);

    /** register_key of a payload already described as {@code d} (its key id is the envelope's). */
    abstract void register(KeySet.EvalKeyDigest d, EvalKeyPayload payload, UploadProgress progress) throws IOException;

    /** get_key_list: the ids with the metadata around them; UNIMPLEMENTED is {@link GrpcTransport.Unimplemented} when probing. */
    final Answer<List<String>> listKeys(boolean probing) {
        return keyCall(Call.GET_KEY_LIST, null, probing).map(r -> {
            Object ids = r.getField(r.getDescriptorForType().findFieldByName("key_id"));
            return ((List<?>) ids).stream().map(String.class::cast).toList();
        });
    }

    final void load(String keyId) {
        keyCall(Call.LOAD_KEY, keyId, false);
    }

    final void unload(String keyId) {
        keyCall(Call.UNLOAD_KEY, keyId, false);
    }

    final void delete(String keyId) {
        keyCall(Call.DELETE_KEY, keyId, false);
    }

    /** The descriptor of {@code call} in this generation's service. */
    final MethodDescriptor<? extends Message, ? extends Message> method(Call call) {
        MethodDescriptor<? extends Message, ? extends Message> m = methods.get(call.rpc());
        if (m == null) {
            throw new IllegalStateException(call.rpc() + " is not a call of " + service());
        }
        return m;
    }

    /** The KeyInfo of a registration, its preset and eval mode spelt as {@code spelling} says. */
    static <B extends Message.Builder> B keyInfo(B info, KeySet.EvalKeyDigest d, Function<String, String> spelling) {
        Descriptor type = info.getDescriptorForType();
        info.setField(type.findFieldByName("key_id"), d.keyId())
                .setField(type.findFieldByName("type"), "EvalKey")
                .setField(type.findFieldByName("preset"), spelling.apply(d.preset()))
                .setField(type.findFieldByName("eval_mode"), spelling.apply(d.evalMode().name()))
                .setField(type.findFieldByName("sha256sum"), d.sha256Hex());
        return info;
    }

    /**
     * Streams the payload's EvalKey.bin in frames of at most {@link EnvectorClient#FRAME_SIZE}, as
     * flow control allows, each made by {@code frame}. A payload whose bytes do not hash to
     * {@code d} cancels the stream (the server never sees it completed).
     */
    final <Q, R extends Message> void upload(MethodDescriptor<Q, R> method, Function<ByteString, Q> frame,
                                             EvalKeyPayload payload, KeySet.EvalKeyDigest d,
                                             UploadProgress progress) throws IOException {
        String rpc = Call.REGISTER_KEY.rpc();
        Upload<Q, R> up = new Upload<>(frame, d.length(), EnvectorClient.FRAME_SIZE,
                progress == null ? UploadProgress.NONE : progress);
        ClientCalls.asyncClientStreamingCall(transport.newStream(method), up);
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
            throw transport.streamFailure(rpc, method, e.getCause());
        } catch (IOException | RuntimeException | Error e) {
            up.cancel("register_key abandoned by the client", e);
            if (e instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        transport.check(rpc, response);
    }

    private <Q extends Message, R extends Message> Answer<R> keyCall(MethodDescriptor<Q, R> method, Call call,
                                                                     String keyId, boolean probing) {
        return transport.unary(call.rpc(), method, () -> request(method, call, keyId), probing);
    }

    private Answer<? extends Message> keyCall(Call call, String keyId, boolean probing) {
        return keyCall(method(call), call, keyId, probing);
    }

    /** {@code {header, key_id}} (no key_id when null) as {@code method}'s request type. */
    private <Q extends Message> Q request(MethodDescriptor<Q, ?> method, Call call, String keyId) {
        if (!(method.getRequestMarshaller() instanceof PrototypeMarshaller<Q> proto)) {
            throw new IllegalStateException(method.getFullMethodName() + " has no protobuf request marshaller");
        }
        Descriptor type = proto.getMessagePrototype().getDescriptorForType();
        Message.Builder b = proto.getMessagePrototype().newBuilderForType()
                .setField(type.findFieldByName("header"), header(call));
        if (keyId != null) {
            b.setField(type.findFieldByName("key_id"), keyId);
        }
        @SuppressWarnings("unchecked")
        Q q = (Q) b.build();
        return q;
    }
}
