package io.evkeygen.server;

import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.server.GrpcTransport.Answer;
import io.evkeygen.spi.OptionalLibraries;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A key client of an enVector server (SERVER-KEYS.md): lists, describes, registers, loads, unloads
 * and deletes EvalKeys, and runs the auto-setup sequence ({@link #activate}). Speaks both API
 * generations: v2 ({@code endpoint.v2.EndpointService}) and ES2E ({@code ES2E.ES2EService}); with
 * {@link ServerApi#AUTO} it asks v2 first and falls back to ES2E when the server answers
 * UNIMPLEMENTED. TLS with the system trust store by default. Every call has a deadline; the channel
 * pings every 30 s. Thread-safe; close it when done.
 *
 * <p>The channel, auth, deadlines, health check and error mapping are a {@link GrpcTransport}; what
 * a generation sends and reads is its {@link ServerProtocol}, chosen once.
 */
public final class EnvectorClient implements AutoCloseable {
    /** The longest deadline of a unary call: a day (a longer one is no deadline at all). */
    public static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(1);
    /** The longest deadline of a register_key upload: a week. */
    public static final Duration MAX_REGISTER_TIMEOUT = Duration.ofDays(7);
    /** The largest register_key frame: 1 MiB. */
    public static final int FRAME_SIZE = 1 << 20;
    private final GrpcTransport transport;
    private volatile ServerProtocol protocol; // null until AUTO has found the generation
    private volatile Optional<String> serverVersion = Optional.empty();

    private EnvectorClient(GrpcTransport transport, ServerApi api) {
        this.transport = transport;
        if (api != ServerApi.AUTO) {
            protocol = ServerProtocol.of(api, transport);
        }
    }

    /**
     * A builder for the server at {@code address} ({@code HOST:PORT}, {@code [v6]:PORT} for IPv6).
     *
     * @throws KeygenException USAGE naming the gRPC and protobuf jars to add when they are not on the class path
     */
    public static Builder builder(String address) {
        OptionalLibraries.GRPC.require("EnvectorClient");
        return new Builder(address);
    }

    /** The address spoken to, {@code HOST:PORT}. */
    public String address() {
        return transport.address();
    }

    /** The API generation in use, asking the server (one get_key_list) when it is {@link ServerApi#AUTO}. */
    public ServerApi api() {
        return protocol().api();
    }

    /** The version the server reported in a v2 get_key_list's trailing metadata, if it did. Never refused. */
    public Optional<String> serverVersion() {
        return serverVersion;
    }

    // ---------------------------------------------------------------- calls

    /** {@code get_key_list}: the registered key ids, the API spoken and the server's version. */
    public KeyListing listKeys() {
        ServerProtocol known = protocol;
        if (known != null) {
            return list(known, false);
        }
        GrpcTransport.Unimplemented last = null;
        List<String> services = new ArrayList<>();
        for (ServerApi api : ServerProtocol.DETECTION_ORDER) {
            ServerProtocol candidate = ServerProtocol.of(api, transport);
            services.add(candidate.service());
            try {
                KeyListing l = list(candidate, true);
                protocol = candidate;
                return l;
            } catch (GrpcTransport.Unimplemented e) {
                last = e;
            }
        }
        throw new ServerException("get_key_list", null, "UNIMPLEMENTED", "the server at " + address()
                + " speaks neither enVector API (" + String.join(" and ", services) + " are both unimplemented)",
                GrpcTransport.printableCause(last.getCause()));
    }

    /** {@code get_key_info} (v2 only). */
    public ServerKeyInfo keyInfo(String keyId) {
        requireId(keyId);
        ServerProtocol p = protocol();
        return p.describe(keyId).orElseThrow(() -> KeygenException.usage("get_key_info is a v2 call; the server at "
                + address() + " speaks " + p.api().name()));
    }

    /** {@code load_key}: makes {@code keyId} the server's loaded key. */
    public void load(String keyId) {
        requireId(keyId);
        protocol().load(keyId);
    }

    /** {@code unload_key}. */
    public void unload(String keyId) {
        requireId(keyId);
        protocol().unload(keyId);
    }

    /** {@code delete_key}: removes a registered key from the server. */
    public void delete(String keyId) {
        requireId(keyId);
        protocol().delete(keyId);
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
        transport.checkHealth();
        protocol();
    }

    /**
     * The auto-setup sequence ({@link Activation}): {@code get_key_list}; {@code register_key} when
     * {@code keyId} is not listed; {@code unload_key} for every other listed id; {@code load_key}
     * unless (v2) {@code get_key_info} says it is loaded already. Repeating it is harmless.
     *
     * <p>A listed id is trusted only when the server holds our EvalKey under it: with v2,
     * {@code get_key_info}'s sha256sum must be the payload's, or the activation is refused (STORE)
     * before anything is unloaded. ES2E has no {@code get_key_info}: the server's key is then used
     * unchecked, and the report says so ({@link ActivationReport#evalKeyChecked()}).
     */
    public ActivationReport activate(String keyId, EvalKeyPayload payload, UploadProgress progress)
            throws IOException {
        requireId(keyId);
        return Activation.run(this, keyId, payload, progress);
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---------------------------------------------------------------- for Activation

    /** The generation spoken, found (one get_key_list) when it is {@link ServerApi#AUTO}. */
    ServerProtocol protocol() {
        ServerProtocol p = protocol;
        if (p == null) {
            listKeys();
            p = protocol;
        }
        return p;
    }

    /** register_key of {@code payload}, described as {@code d}, under {@code keyId}, which must be the envelope's. */
    void upload(String keyId, EvalKeyPayload payload, KeySet.EvalKeyDigest d, UploadProgress progress)
            throws IOException {
        if (!keyId.equals(d.keyId())) {
            throw KeygenException.invalidKey(payload.source() + " holds the EvalKey of key id '" + d.keyId()
                    + "', not '" + keyId + "'");
        }
        protocol().register(d, payload, progress);
    }

    // ---------------------------------------------------------------- plumbing

    private KeyListing list(ServerProtocol p, boolean probing) {
        Answer<List<String>> a = p.listKeys(probing);
        Optional<String> version = ServerProtocol.version(a.trailers()).or(() -> ServerProtocol.version(a.headers()));
        if (version.isPresent()) {
            serverVersion = version;
        }
        return new KeyListing(a.response(), p.api(), version);
    }

    private static void requireId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "a key id is required");
        }
    }

    /** Connection settings ({@link ChannelSettings}): TLS with the system trust store unless told otherwise. */
    public static final class Builder extends ChannelSettings<Builder> {
        private ServerApi api = ServerApi.AUTO;

        private Builder(String address) {
            super(GrpcTransport.builder(address, "server address").callTimeout(Duration.ofSeconds(30))
                    .streamTimeout(Duration.ofHours(1)));
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder api(ServerApi value) {
            this.api = value == null ? ServerApi.AUTO : value;
            return this;
        }

        /** Deadline of each unary call (default 30 s): more than 0, at most {@link #MAX_CALL_TIMEOUT}. */
        public Builder callTimeout(Duration value) {
            transport.callTimeout(GrpcTransport.deadline(value, MAX_CALL_TIMEOUT, "the call timeout"));
            return this;
        }

        /** Deadline of a whole register_key stream (default 1 h): more than 0, at most {@link #MAX_REGISTER_TIMEOUT}. */
        public Builder registerTimeout(Duration value) {
            transport.streamTimeout(GrpcTransport.deadline(value, MAX_REGISTER_TIMEOUT, "the register timeout"));
            return this;
        }

        public EnvectorClient build() {
            transport.unimplementedHint(api == ServerApi.AUTO ? "" : " (it may speak the other API generation)");
            return new EnvectorClient(transport.build(), api);
        }
    }
}
