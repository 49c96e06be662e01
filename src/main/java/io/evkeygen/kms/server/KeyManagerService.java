package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import com.google.protobuf.ByteString;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteResponse;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusResponse;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.kms.internal.proto.KmsV2.KeyType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyVersionRecord;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateResponse;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatRequest;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatResponse;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code kms.v2.KeyManagerService}: the key lifecycle ({@link KeyLifecycle}) and DownloadKey's stream. */
final class KeyManagerService {
    /** DownloadKey's chunk: well under gRPC's 4 MiB message limit. */
    static final int CHUNK = 1 << 20;
    static final String CONTENT_TYPE = "application/json";
    private static final Map<KeyFileKind, KeyType> TYPES = Map.of(KeyFileKind.SECKEY, KeyType.KEY_TYPE_SECRET_KEY,
            KeyFileKind.ENCKEY, KeyType.KEY_TYPE_ENC_KEY, KeyFileKind.EVALKEY, KeyType.KEY_TYPE_EVAL_KEY,
            KeyFileKind.METADATAKEY, KeyType.KEY_TYPE_METADATA_KEY);

    /** What a waiting GetKeyStatus leaves of the caller's deadline, for the answer to get back. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(50);

    private final KeyLifecycle keys;
    private final Replies replies;
    private final Duration statusWait;

    KeyManagerService(KeyLifecycle keys, Replies replies, Duration statusWait) {
        this.keys = keys;
        this.replies = replies;
        this.statusWait = statusWait;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(KmsRpcs.KEY_MANAGER_SERVICE)
                .addMethod(KmsRpcs.GENERATE_KEY, ServerCalls.asyncUnaryCall(this::generateKey))
                .addMethod(KmsRpcs.GET_KEY_STATUS, ServerCalls.asyncUnaryCall(this::getKeyStatus))
                .addMethod(KmsRpcs.GET_KEY_DETAILS, ServerCalls.asyncUnaryCall(this::getKeyDetails))
                .addMethod(KmsRpcs.DOWNLOAD_KEY, ServerCalls.asyncServerStreamingCall(this::downloadKey))
                .addMethod(KmsRpcs.TRANSITION_STATE, ServerCalls.asyncUnaryCall(this::transitionState))
                .addMethod(KmsRpcs.DELETE, ServerCalls.asyncUnaryCall(this::delete))
                .addMethod(KmsRpcs.KEY_MANAGER_HEALTH, ServerCalls.asyncUnaryCall(this::health))
                .build();
    }

    private void generateKey(GenerateKeyRequest q, StreamObserver<GenerateKeyResponse> out) {
        replies.unary("GenerateKey", q, GenerateKeyResponse.newBuilder().setKeyId(q.getKeyId()).build(), out,
                (r, keyId, principal) -> {
                    GenerateSpec spec = GenerateSpec.of(r);
                    KeyGenStatus status = null;
                    try {
                        status = keys.generate(keyId, spec, principal);
                    } finally {
                        if (status != KeyGenStatus.KEY_GEN_STATUS_PENDING) {
                            spec.wipe(); // no generation took the seed (a started one wipes it when done)
                        }
                    }
                    return GenerateKeyResponse.newBuilder().setKeyId(keyId).setVersion(1).setStatus(status).build();
                });
    }

    private void getKeyStatus(GetKeyStatusRequest q, StreamObserver<GetKeyStatusResponse> out) {
        replies.unary("GetKeyStatus", q, GetKeyStatusResponse.newBuilder().setKeyId(q.getKeyId()).build(), out,
                (r, keyId, principal) -> GetKeyStatusResponse.newBuilder().setKeyId(keyId)
                        .setStatus(keys.status(keyId, statusWait())).build());
    }

    /** How long this GetKeyStatus may wait for a PENDING key: the configured wait, within the caller's deadline. */
    private Duration statusWait() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return statusWait;
        }
        Duration left = Duration.ofMillis(deadline.timeRemaining(TimeUnit.MILLISECONDS)).minus(DEADLINE_MARGIN);
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(statusWait) < 0 ? left : statusWait;
    }

    private void getKeyDetails(GetKeyDetailsRequest q, StreamObserver<GetKeyDetailsResponse> out) {
        replies.unary("GetKeyDetails", q, GetKeyDetailsResponse.newBuilder().setKeyId(q.getKeyId()).build(), out,
                (r, keyId, principal) -> {
                    KeyLifecycle.Details d = keys.details(keyId);
                    GetKeyDetailsResponse.Builder b = GetKeyDetailsResponse.newBuilder().setKeyId(keyId);
                    for (KeyFileKind kind : KeyFileKind.values()) {
                        if (d.parts().contains(kind)) {
                            b.addVersions(KeyVersionRecord.newBuilder().setVersion(1).setState(d.record().state())
                                    .setKeyType(TYPES.get(kind)).setCreatedAt(d.record().createdAt().toString())
                                    .setUpdatedAt(d.record().updatedAt().toString())
                                    .setActor(d.record().actor() == null ? "" : d.record().actor()));
                        }
                    }
                    return b.build();
                });
    }

    private void transitionState(TransitionStateRequest q, StreamObserver<TransitionStateResponse> out) {
        replies.unary("TransitionState", q, TransitionStateResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            KeyState to = r.getNewState();
            if (to == KeyState.UNRECOGNIZED || to == KeyState.KEY_STATE_UNSPECIFIED || to == KeyState.KEY_STATE_PREPARING) {
                throw KmsError.invalid("new_state must be ACTIVE, SUSPENDED, ROTATING or DESTROYED");
            }
            keys.transition(keyId, to, r.getVersion(), principal);
            return TransitionStateResponse.getDefaultInstance();
        });
    }

    private void delete(DeleteRequest q, StreamObserver<DeleteResponse> out) {
        replies.unary("Delete", q, DeleteResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            keys.delete(keyId);
            return DeleteResponse.getDefaultInstance();
        });
    }

    private void health(HeartbeatRequest q, StreamObserver<HeartbeatResponse> out) {
        health(replies, keys, q, out, "KeyManagerService.Health");
    }

    /** Both services' Health: Success while the store answers, DependencyError with its error otherwise. */
    static void health(Replies replies, KeyLifecycle keys, HeartbeatRequest q, StreamObserver<HeartbeatResponse> out, String rpc) {
        replies.unary(rpc, q, HeartbeatResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            try {
                keys.probe();
            } catch (IOException | RuntimeException e) {
                throw new KmsError(ReturnCode.DependencyError, "key store unavailable: " + e.getMessage());
            }
            return HeartbeatResponse.getDefaultInstance();
        });
    }

    private void downloadKey(DownloadKeyRequest q, StreamObserver<DownloadKeyResponse> out) {
        String keyId = q.getKeyId();
        String principal = KmsAuth.caller();
        KeyFileKind kind;
        long total;
        InputStream in;
        try {
            KeyLifecycle.checkId(keyId);
            principal = KmsAuth.principal(keyId);
            kind = switch (q.getFileType()) {
                case KEY_FILE_TYPE_ENC_KEY -> KeyFileKind.ENCKEY;
                case KEY_FILE_TYPE_EVAL_KEY -> KeyFileKind.EVALKEY;
                default -> throw KmsError.invalid("file_type must be ENC_KEY (2) or EVAL_KEY (3): secret keys are"
                        + " never downloaded");
            };
            if (q.hasVersion() && q.getVersion() != 1) {
                throw KmsError.invalid("key " + keyId + " has no version " + Integer.toUnsignedString(q.getVersion())
                        + ": every key has version 1");
            }
            keys.requireUsable(keyId);
            total = keys.custody().size(keyId, kind);
            in = keys.store().open(keyId, kind);
        } catch (StatusRuntimeException e) {
            replies.audit(principal, "DownloadKey", keyId, e.getStatus().getCode().name());
            out.onError(e);
            return;
        } catch (Exception e) {
            KmsError error = replies.error("DownloadKey", keyId, e);
            replies.audit(principal, "DownloadKey", keyId, error.code().name());
            out.onNext(DownloadKeyResponse.newBuilder().setKeyId(keyId).setFileTypeValue(q.getFileTypeValue())
                    .setHeader(replies.header(q.getHeader(), error.code(), error.getMessage())).build());
            out.onCompleted();
            return;
        }
        new Pump(q, (ServerCallStreamObserver<DownloadKeyResponse>) out, kind, total, in, principal).start();
    }

    /**
     * Sends a stored file in 1 MiB chunks only while the transport can take them (gRPC flow control),
     * so that a 0.7 GB EvalKey passes through a small heap, one chunk at a time.
     */
    private final class Pump {
        private final DownloadKeyRequest q;
        private final ServerCallStreamObserver<DownloadKeyResponse> out;
        private final KeyFileKind kind;
        private final long total;
        private final InputStream in;
        private final String principal;
        private long sent;
        private long index;
        private boolean done;

        Pump(DownloadKeyRequest q, ServerCallStreamObserver<DownloadKeyResponse> out, KeyFileKind kind, long total,
             InputStream in, String principal) {
            this.q = q;
            this.out = out;
            this.kind = kind;
            this.total = total;
            this.in = in;
            this.principal = principal;
        }

        void start() {
            out.setOnCancelHandler(() -> finish("CANCELLED"));
            out.setOnReadyHandler(this::pump); // gRPC calls it once the call is ready, and again as the client reads
        }

        private synchronized void pump() {
            try {
                while (!done && out.isReady()) {
                    byte[] chunk = in.readNBytes((int) Math.min(CHUNK, total - sent));
                    if (chunk.length == 0 && sent < total) {
                        throw new IOException("the stored " + kind.fileName() + " ended after " + sent + " of "
                                + total + " bytes");
                    }
                    sent += chunk.length;
                    boolean eof = sent == total;
                    out.onNext(DownloadKeyResponse.newBuilder()
                            .setHeader(replies.header(q.getHeader(), ReturnCode.Success, null))
                            .setKeyId(q.getKeyId()).setFileTypeValue(q.getFileTypeValue()).setFileName(kind.fileName())
                            .setContent(ByteString.copyFrom(chunk)).setContentType(CONTENT_TYPE)
                            .setChunkIndex(index++).setTotalSize(total).setEof(eof).build());
                    if (eof) {
                        finish(ReturnCode.Success.name());
                        out.onCompleted();
                    }
                }
            } catch (IOException | RuntimeException e) {
                boolean cancelled = done;
                finish("DATA_LOSS");
                if (cancelled) {
                    return;
                }
                out.onError(new StatusRuntimeException(Status.DATA_LOSS.withDescription(
                        KmsError.oneLine("DownloadKey of " + q.getKeyId() + " failed mid-stream: " + e.getMessage()))));
            }
        }

        private synchronized void finish(String result) {
            if (done) {
                return;
            }
            done = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // a read-only stream: nothing was written
            }
            replies.audit(principal, "DownloadKey", q.getKeyId(), result);
        }
    }
}
