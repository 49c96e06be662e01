package io.evkeygen.server;

import io.evkeygen.error.KeygenException;
import java.util.Optional;

/**
 * A server call that failed: a non-Success return code, a gRPC status, or no connection. Its kind is
 * {@link KeygenException.Kind#STORE}; its message is one line naming the call.
 */
public final class ServerException extends KeygenException {
    private final String rpc;
    private final String returnCode;
    private final String grpcStatus;

    ServerException(String rpc, String returnCode, String grpcStatus, String message, Throwable cause) {
        super(Kind.STORE, message, cause);
        this.rpc = rpc;
        this.returnCode = returnCode;
        this.grpcStatus = grpcStatus;
    }

    /**
     * A reply that breaks the service's protocol (a stream that ends early, a count that does not
     * match): no return code, no gRPC status; {@code message} is one line the caller wrote, with any
     * text from the server already escaped.
     */
    public static ServerException protocol(String rpc, String message) {
        return new ServerException(rpc, null, null, message, null);
    }

    /** The RPC that failed, e.g. {@code register_key}. */
    public String rpc() {
        return rpc;
    }

    /** The server's return code name (e.g. {@code InvalidInput}) when it answered with one. */
    public Optional<String> returnCode() {
        return Optional.ofNullable(returnCode);
    }

    /** The gRPC status code name (e.g. {@code UNAVAILABLE}) when the call itself failed. */
    public Optional<String> grpcStatus() {
        return Optional.ofNullable(grpcStatus);
    }
}
