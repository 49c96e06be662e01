package io.evkeygen.kms;

import io.evkeygen.kms.internal.KmsRpcs;
import com.google.protobuf.ByteString;
import io.evkeygen.RankedScore;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyVersionRecord;
import io.evkeygen.kms.internal.proto.KmsV2.TopKRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TopKResult;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.server.ChannelSettings;
import io.evkeygen.server.GrpcTransport;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.internal.proto.CommonV2;
import io.evkeygen.spi.OptionalLibraries;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A client of the enVector KMS (KMS.md): both services on one channel, sending exactly what the
 * Python SDK's {@code KMSClient} sends. Every request header carries 16 random lower-case hex
 * characters as its id and the Unix time in seconds, never a type. A reply whose return code is
 * not Success is a {@link ServerException} (exit 7) reading
 * {@code KMS <Rpc> failed (return_code=<n> <Name>): <message>}. TLS with the system trust store by
 * default; every call has a deadline (the SDK sets none). Thread-safe; close it when done.
 */
public final class KmsClient implements AutoCloseable {
    /** The longest deadline of a unary call: a day. */
    public static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(1);
    /** The longest deadline of a DownloadKey stream: a week. */
    public static final Duration MAX_DOWNLOAD_TIMEOUT = Duration.ofDays(7);
    /** The seed GenerateKey takes: exactly this many bytes. */
    public static final int SEED_BYTES = 64;
    /** How often {@link #waitForKey} asks, as the SDK's wait_for_key. */
    static final Duration POLL = Duration.ofSeconds(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GrpcTransport.ReplyError KMS_REPLY = (rpc, code, name, message) ->
            "KMS " + rpc + " failed (return_code=" + code + " " + name + "): " + message;

    /** What GetKeyStatus and GenerateKey say of a key id. */
    public enum Status { UNSPECIFIED, PENDING, READY, FAILED }

    /** A key's lifecycle state. */
    public enum State { UNSPECIFIED, PREPARING, ACTIVE, SUSPENDED, DESTROYED, ROTATING }

    /** The public key files DownloadKey hands out (the secret ones cannot be asked for). */
    public enum KeyFile {
        ENC_KEY(KmsV2.KeyFileType.KEY_FILE_TYPE_ENC_KEY, "EncKey.json"),
        EVAL_KEY(KmsV2.KeyFileType.KEY_FILE_TYPE_EVAL_KEY, "EvalKey.json");

        final KmsV2.KeyFileType wire;
        private final String fileName;

        KeyFile(KmsV2.KeyFileType wire, String fileName) {
            this.wire = wire;
            this.fileName = fileName;
        }

        /** {@code EncKey.json} or {@code EvalKey.json}. */
        public String fileName() {
            return fileName;
        }
    }

    /**
     * What GenerateKey may carry besides the key id; a null field is not sent (the KMS's default
     * applies), as the SDK sends only what its caller gave.
     */
    public record KeySpec(String preset, String evalMode, Boolean metadataEncryption, byte[] seed) {
        /** Nothing but the key id: preset, eval mode, metadata encryption and seed are the KMS's. */
        public static final KeySpec DEFAULTS = new KeySpec(null, null, null, null);
    }

    /** GenerateKey's answer. */
    public record Generation(String keyId, int version, Status status) {}

    /**
     * One version record of a key file (GetKeyDetails): state and key type as their enum names
     * without the prefix ({@code ACTIVE}, {@code SECRET_KEY}), times as the KMS wrote them (RFC 3339).
     */
    public record KeyVersion(int version, String state, String keyType, String createdAt, String updatedAt,
                             String actor) {}

    /** One score ciphertext of a search, as the enVector server returned it ({@code EVCiphertext}). */
    public record Ciphertext(long degree, byte[] data) {}

    private final GrpcTransport transport;
    private final long maxDownload;

    private KmsClient(GrpcTransport transport, long maxDownload) {
        this.transport = transport;
        this.maxDownload = maxDownload;
    }

    /**
     * A builder for the KMS at {@code address} ({@code HOST:PORT}, {@code [v6]:PORT} for IPv6).
     *
     * @throws KeygenException USAGE naming the gRPC and protobuf jars to add when they are not on the class path
     */
    public static Builder builder(String address) {
        OptionalLibraries.GRPC.require("KmsClient");
        return new Builder(address);
    }

    /** The address spoken to, {@code HOST:PORT}. */
    public String address() {
        return transport.address();
    }

    // ---------------------------------------------------------------- KeyManagerService

    /** GenerateKey: starts a generation (PENDING), or READY for a key id that exists. */
    public Generation generateKey(String keyId, KeySpec spec) {
        requireId(keyId);
        KeySpec s = spec == null ? KeySpec.DEFAULTS : spec;
        if (s.seed() != null && s.seed().length != SEED_BYTES) {
            throw KeygenException.usage("a GenerateKey seed must be exactly " + SEED_BYTES + " bytes, not "
                    + s.seed().length);
        }
        GenerateKeyResponse r = transport.call("GenerateKey", KmsRpcs.GENERATE_KEY, () -> {
            GenerateKeyRequest.Builder b = GenerateKeyRequest.newBuilder().setHeader(header()).setKeyId(keyId);
            if (s.preset() != null) {
                b.setPreset(s.preset());
            }
            if (s.evalMode() != null) {
                b.setEvalMode(s.evalMode());
            }
            if (s.metadataEncryption() != null) {
                b.setMetadataEncryptionEnabled(s.metadataEncryption());
            }
            if (s.seed() != null) {
                b.setSeed(ByteString.copyFrom(s.seed()));
            }
            return b.build();
        });
        return new Generation(r.getKeyId(), r.getVersion(), status(r.getStatusValue()));
    }

    /** GetKeyStatus. */
    public Status keyStatus(String keyId) {
        requireId(keyId);
        return status(transport.call("GetKeyStatus", KmsRpcs.GET_KEY_STATUS,
                () -> GetKeyStatusRequest.newBuilder().setHeader(header()).setKeyId(keyId).build()).getStatusValue());
    }

    /**
     * Polls GetKeyStatus every second, as the SDK's wait_for_key, until READY; FAILED, or no READY
     * within {@code timeout}, is a {@link ServerException}.
     */
    public void waitForKey(String keyId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Status s = keyStatus(keyId);
            if (s == Status.READY) {
                return;
            }
            if (s == Status.FAILED) {
                throw ServerException.protocol("GetKeyStatus", "KMS key " + keyId + " failed to generate (GetKeyStatus"
                        + " says FAILED); GenerateKey may be called again");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw ServerException.protocol("GetKeyStatus", "KMS key " + keyId + " is still " + s + " after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** GetKeyDetails: one record per key file of the set. */
    public List<KeyVersion> keyDetails(String keyId) {
        requireId(keyId);
        List<KeyVersionRecord> records = transport.call("GetKeyDetails", KmsRpcs.GET_KEY_DETAILS,
                () -> GetKeyDetailsRequest.newBuilder().setHeader(header()).setKeyId(keyId).build()).getVersionsList();
        return records.stream().map(v -> new KeyVersion(v.getVersion(), name(v.getState().name(), "KEY_STATE_"),
                name(v.getKeyType().name(), "KEY_TYPE_"), v.getCreatedAt(), v.getUpdatedAt(), v.getActor())).toList();
    }

    /**
     * DownloadKey as a stream of the stored file's bytes (never {@code version}, as the SDK), read
     * as it arrives; close it to cancel. A bad chunk, a stream without {@code eof} or one beyond
     * the size cap ({@link Builder#maxDownloadBytes}) fails the read with a {@link ServerException}.
     */
    public InputStream openDownload(String keyId, KeyFile file) {
        requireId(keyId);
        DownloadKeyRequest q = DownloadKeyRequest.newBuilder().setHeader(header()).setKeyId(keyId)
                .setFileType(file.wire).build();
        return new KeyDownload(transport.serverStream("DownloadKey", KmsRpcs.DOWNLOAD_KEY, q),
                keyId + "/" + file.fileName(), maxDownload);
    }

    /** DownloadKey into {@code out}, streamed; the number of bytes. */
    public long download(String keyId, KeyFile file, OutputStream out) throws IOException {
        try (InputStream in = openDownload(keyId, file)) {
            return in.transferTo(out);
        }
    }

    /** TransitionState to {@code state} with a reason (never {@code version}, as the SDK). */
    public void transition(String keyId, State state, String reason) {
        requireId(keyId);
        KmsV2.KeyState wire = KmsV2.KeyState.forNumber(state.ordinal());
        transport.call("TransitionState", KmsRpcs.TRANSITION_STATE, () -> TransitionStateRequest.newBuilder()
                .setHeader(header()).setKeyId(keyId).setNewState(wire).setReason(text(reason)).build());
    }

    /** Rewraps the sealed key material under fresh sealing (ROTATING; the KMS returns to ACTIVE). */
    public void rotate(String keyId, String reason) {
        transition(keyId, State.ROTATING, reason);
    }

    public void suspend(String keyId, String reason) {
        transition(keyId, State.SUSPENDED, reason);
    }

    /** Back to ACTIVE from SUSPENDED. */
    public void resume(String keyId, String reason) {
        transition(keyId, State.ACTIVE, reason);
    }

    /** Deletes the secret key and the metadata key irreversibly (DESTROYED). */
    public void destroy(String keyId, String reason) {
        transition(keyId, State.DESTROYED, reason);
    }

    /** Delete: every file and record of the key id. */
    public void delete(String keyId, String reason) {
        requireId(keyId);
        transport.call("Delete", KmsRpcs.DELETE,
                () -> DeleteRequest.newBuilder().setHeader(header()).setKeyId(keyId).setReason(text(reason)).build());
    }

    /**
     * Health of both services (no token needed; sent when there is one): true when both answer
     * Success, false when one answers another code. A call that fails is a {@link ServerException}.
     */
    public boolean health() {
        return healthy("KeyManagerService/Health", KmsRpcs.KEY_MANAGER_HEALTH)
                && healthy("TopKService/Health", KmsRpcs.TOP_K_HEALTH);
    }

    // ---------------------------------------------------------------- TopKService

    /** EncryptMetadata: one ciphertext ({@code iv || tag || ciphertext}) per value, in order. */
    public List<byte[]> encryptMetadata(String keyId, List<String> values) {
        requireId(keyId);
        List<ByteString> out = transport.call("EncryptMetadata", KmsRpcs.ENCRYPT_METADATA,
                () -> EncryptMetadataRequest.newBuilder().setHeader(header()).setKeyId(keyId)
                        .addAllPlaintextMetadata(values).build()).getEncryptedMetadataList();
        sameCount("EncryptMetadata", values.size(), out.size());
        return out.stream().map(ByteString::toByteArray).toList();
    }

    /** DecryptMetadata: the values, in order. */
    public List<String> decryptMetadata(String keyId, List<byte[]> ciphertexts) {
        requireId(keyId);
        List<String> out = transport.call("DecryptMetadata", KmsRpcs.DECRYPT_METADATA,
                () -> DecryptMetadataRequest.newBuilder().setHeader(header()).setKeyId(keyId)
                        .addAllEncryptedMetadata(ciphertexts.stream().map(ByteString::copyFrom).toList()).build())
                .getPlaintextMetadataList();
        sameCount("DecryptMetadata", ciphertexts.size(), out.size());
        return List.copyOf(out);
    }

    /**
     * TopK: the KMS decrypts the score ciphertexts with the set's secret key and answers the best
     * {@code k} (capped by the KMS), ranked. {@code threshold} (null: not sent) keeps scores at or
     * above it; {@code shardIndices} (empty: not sent) are parallel to the ciphertexts.
     */
    public List<RankedScore> topK(String keyId, List<Ciphertext> scores, int k, Float threshold,
                                  List<Long> shardIndices) {
        requireId(keyId);
        if (k < 1) {
            throw KeygenException.usage("TopK needs k of at least 1, not " + k);
        }
        List<TopKResult> results = transport.call("TopK", KmsRpcs.TOP_K, () -> {
            TopKRequest.Builder b = TopKRequest.newBuilder().setHeader(header()).setKeyId(keyId).setK(k);
            scores.forEach(c -> b.addEncryptedScores(CommonV2.EVCiphertext.newBuilder().setDegree(c.degree())
                    .setData(ByteString.copyFrom(c.data()))));
            if (threshold != null) {
                b.setScoreThreshold(threshold);
            }
            if (shardIndices != null) {
                b.addAllShardIndices(shardIndices);
            }
            return b.build();
        }).getResultsList();
        return results.stream().map(r -> new RankedScore(r.getScore(), r.getMetadataIdx().getShardIdx(),
                r.getMetadataIdx().getRowIdx())).toList();
    }

    /** As {@link #topK(String, List, int, Float, List)} with each ciphertext's degree 0 (unused by decryption). */
    public List<RankedScore> topKOf(String keyId, List<byte[]> scores, int k, Float threshold, List<Long> shardIndices) {
        return topK(keyId, scores.stream().map(d -> new Ciphertext(0, d)).toList(), k, threshold, shardIndices);
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---------------------------------------------------------------- plumbing

    /** A request header as the SDK's: 16 lower-case hex id (8 random bytes), Unix seconds, no type. */
    static CommonV2.RequestHeader header() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return CommonV2.RequestHeader.newBuilder().setId(HexFormat.of().formatHex(id))
                .setTimestamp(System.currentTimeMillis() / 1000).build();
    }

    private boolean healthy(String rpc, MethodDescriptor<CommonV2.HeartbeatRequest, CommonV2.HeartbeatResponse> method) {
        try {
            transport.call(rpc, method, () -> CommonV2.HeartbeatRequest.newBuilder().setHeader(header()).build());
            return true;
        } catch (ServerException e) {
            if (e.returnCode().isPresent()) {
                return false;
            }
            throw e;
        }
    }

    private static Status status(int wire) {
        return wire >= 0 && wire < Status.values().length ? Status.values()[wire] : Status.UNSPECIFIED;
    }

    /** A wire enum's name without its prefix (a String, not the enum: this class then links no protobuf type to load). */
    private static String name(String n, String prefix) {
        return n.startsWith(prefix) ? n.substring(prefix.length()) : n.toUpperCase(Locale.ROOT);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static void sameCount(String rpc, int sent, int got) {
        if (sent != got) {
            throw ServerException.protocol(rpc, "KMS " + rpc + " answered " + got + " values for " + sent);
        }
    }

    private static void requireId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "a key id is required");
        }
    }

    /**
     * Connection settings ({@link ChannelSettings}: TLS with the system trust store unless told
     * otherwise, a private CA, plaintext to this machine, the token or the OAuth2 refresh), 30 s per
     * unary call, 1 h per download, downloads up to 4 GiB. The KMS has no grpc.health.v1 service:
     * none is asked.
     */
    public static final class Builder extends ChannelSettings<Builder> {
        private long maxDownload = 4L << 30;

        private Builder(String address) {
            super(GrpcTransport.builder(address, "KMS address").healthCheck(false).replyError(KMS_REPLY)
                    .callTimeout(Duration.ofSeconds(30)).streamTimeout(Duration.ofHours(1))
                    .unimplementedHint(" (is it an enVector KMS?)"));
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Deadline of each unary call (default 30 s): more than 0, at most {@link #MAX_CALL_TIMEOUT}. */
        public Builder callTimeout(Duration value) {
            transport.callTimeout(GrpcTransport.deadline(value, MAX_CALL_TIMEOUT, "the KMS call timeout"));
            return this;
        }

        /** Deadline of a whole DownloadKey (default 1 h): more than 0, at most {@link #MAX_DOWNLOAD_TIMEOUT}. */
        public Builder downloadTimeout(Duration value) {
            transport.streamTimeout(GrpcTransport.deadline(value, MAX_DOWNLOAD_TIMEOUT, "the KMS download timeout"));
            return this;
        }

        /** The largest key file a download accepts (default 4 GiB; a FLAT 4096 EvalKey is about 0.7 GB). */
        public Builder maxDownloadBytes(long value) {
            if (value < 1) {
                throw KeygenException.usage("the download cap must be at least 1 byte, not " + value);
            }
            this.maxDownload = value;
            return this;
        }

        public KmsClient build() {
            return new KmsClient(transport.build(), maxDownload);
        }
    }
}
