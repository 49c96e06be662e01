package io.evkeygen.kms.server;

import io.evkeygen.error.Printable;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;

/**
 * A KMS answer other than Success: the return code and the one-line message the response header
 * carries. Messages name key ids and causes, never a secret (token, key bytes, plaintext metadata).
 */
final class KmsError extends RuntimeException {
    private final ReturnCode code;

    KmsError(ReturnCode code, String message) {
        super(oneLine(message), null, false, false);
        this.code = code;
    }

    ReturnCode code() {
        return code;
    }

    static KmsError invalid(String message) {
        return new KmsError(ReturnCode.InvalidInput, message);
    }

    static KmsError fail(String message) {
        return new KmsError(ReturnCode.Fail, message);
    }

    static KmsError notFound(String keyId) {
        return new KmsError(ReturnCode.NotFoundError, "key " + keyId + " not found");
    }

    /** Text from elsewhere (a key id, a store's words) escaped and folded onto one line. */
    static String oneLine(String message) {
        return Printable.escape(message == null ? "" : message.replace('\n', ' ').replace('\r', ' '));
    }
}
