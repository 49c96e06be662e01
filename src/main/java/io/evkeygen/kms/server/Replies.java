package io.evkeygen.kms.server;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.evkeygen.error.KeygenException;
import io.evkeygen.server.internal.proto.CommonV2.RequestHeader;
import io.evkeygen.server.internal.proto.CommonV2.ResponseHeader;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;

/**
 * Every KMS reply's header and audit line, written once: the request header's id echoed, the time in
 * Unix seconds, the return code and, for anything but Success, a one-line message naming no secret.
 * A unary body returns its response without a header; its exceptions become the reply's code
 * ({@link KmsError}, or a {@link KeygenException}'s kind), a refused key id a PERMISSION_DENIED status.
 */
final class Replies {
    private static final Logger LOG = System.getLogger(Replies.class.getName());

    /** A unary method's work: the response (its header is set here). */
    @FunctionalInterface
    interface Body<Q, R> {
        R answer(Q request, String keyId, String principal) throws IOException;
    }

    private final Clock clock;
    private final AuditLog audit;

    Replies(Clock clock, AuditLog audit) {
        this.clock = clock;
        this.audit = audit;
    }

    ResponseHeader header(RequestHeader request, ReturnCode code, String message) {
        ResponseHeader.Builder b = ResponseHeader.newBuilder().setId(request.getId())
                .setTimestamp(clock.instant().getEpochSecond()).setReturnCode(code);
        if (code != ReturnCode.Success) {
            b.setErrorMessage(KmsError.oneLine(message));
        }
        return b.build();
    }

    /** Runs {@code body} for a request with a key id (checked, then authorized) and answers. */
    <Q extends Message, R extends Message> void unary(String rpc, Q request, R prototype, StreamObserver<R> out,
                                                      Body<Q, R> body) {
        RequestHeader header = requestHeader(request);
        String keyId = keyId(request);
        String principal = KmsAuth.caller();
        R response;
        ReturnCode code;
        try {
            if (keyId != null) {
                KeyLifecycle.checkId(keyId);
                principal = KmsAuth.principal(keyId);
            }
            response = withHeader(body.answer(request, keyId, principal), header(header, ReturnCode.Success, null));
            code = ReturnCode.Success;
        } catch (StatusRuntimeException e) {
            audit.record(principal, rpc, keyId, e.getStatus().getCode().name());
            out.onError(e);
            return;
        } catch (Exception e) {
            KmsError error = error(rpc, keyId, e);
            code = error.code();
            response = withHeader(prototype, header(header, code, error.getMessage()));
        }
        audit.record(principal, rpc, keyId, code.name());
        out.onNext(response);
        out.onCompleted();
    }

    /** The reply code and message of a failure. */
    KmsError error(String rpc, String keyId, Exception e) {
        if (e instanceof KmsError k) {
            return k;
        }
        if (e instanceof KeygenException k) {
            ReturnCode code = switch (k.kind()) {
                case USAGE -> ReturnCode.InvalidInput;
                case STORE -> ReturnCode.DependencyError;
                default -> ReturnCode.Fail;
            };
            return new KmsError(code, k.getMessage());
        }
        if (e instanceof IOException) {
            return new KmsError(ReturnCode.DependencyError, "key store i/o failed: " + e.getMessage());
        }
        LOG.log(Level.ERROR, rpc + " of key " + KmsError.oneLine(String.valueOf(keyId)) + " failed unexpectedly", e);
        return new KmsError(ReturnCode.UnknownError, rpc + " failed unexpectedly (" + e.getClass().getSimpleName()
                + "); see the server log");
    }

    static RequestHeader requestHeader(Message request) {
        FieldDescriptor f = request.getDescriptorForType().findFieldByName("header");
        return (RequestHeader) request.getField(f);
    }

    /** The request's key_id, or null for a message without one (Health). */
    static String keyId(Message request) {
        FieldDescriptor f = request.getDescriptorForType().findFieldByName("key_id");
        return f == null ? null : (String) request.getField(f);
    }

    @SuppressWarnings("unchecked")
    static <R extends Message> R withHeader(R response, ResponseHeader header) {
        FieldDescriptor f = response.getDescriptorForType().findFieldByName("header");
        return (R) response.toBuilder().setField(f, header).build();
    }

    void audit(String principal, String rpc, String keyId, String result) {
        audit.record(principal, rpc, keyId, result);
    }
}
