package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Set;

/**
 * Bearer tokens: a call without a listed token is UNAUTHENTICATED (Health needs none); the tokens'
 * entries ride in the call's context, and {@link #principal} refuses a key id outside every entry's
 * prefix with PERMISSION_DENIED. The token itself is never logged or kept.
 */
final class KmsAuth implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<List<KmsTokens.Entry>> CALLER = Context.key("kms-caller");
    private static final Set<String> OPEN = Set.of(KmsRpcs.KEY_MANAGER_HEALTH.getFullMethodName(),
            KmsRpcs.TOP_K_HEALTH.getFullMethodName());

    private final KmsTokens tokens;
    private final AuditLog audit;

    KmsAuth(KmsTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (OPEN.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String value = headers.get(AUTHORIZATION);
        List<KmsTokens.Entry> entries = value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.match(value.substring(7).strip()) : List.of();
        if (entries.isEmpty()) {
            audit.record(null, call.getMethodDescriptor().getBareMethodName(), null, Status.Code.UNAUTHENTICATED.name());
            call.close(Status.UNAUTHENTICATED.withDescription(value == null ? "no bearer token" : "bearer token not accepted"),
                    new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, entries), call, headers, next);
    }

    /** The caller's principal for {@code keyId}; PERMISSION_DENIED when no entry of its token covers it. */
    static String principal(String keyId) {
        List<KmsTokens.Entry> entries = CALLER.get();
        if (entries == null) {
            return "-"; // Health
        }
        return KmsTokens.covering(entries, keyId).map(KmsTokens.Entry::principal).orElseThrow(() ->
                new StatusRuntimeException(Status.PERMISSION_DENIED.withDescription("principal "
                        + entries.get(0).principal() + " may not use key " + KmsError.oneLine(keyId))));
    }

    /** The caller's principal, whatever the key (for the audit line of a refused call). */
    static String caller() {
        List<KmsTokens.Entry> entries = CALLER.get();
        return entries == null ? "-" : entries.get(0).principal();
    }
}
