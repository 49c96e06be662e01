package io.evkeygen.keyset;

/**
 * The one exception type of the library. Its {@link Kind} decides the CLI exit code; its message is
 * a single actionable line and never contains secret material.
 */
public class KeygenException extends RuntimeException {

    /** What went wrong, as the CLI reports it (exit codes are part of the documented interface). */
    public enum Kind {
        /** Unexpected internal failure. */
        FAILURE(1),
        /** Bad flags, malformed seed, unknown preset or eval mode, bad dimension. */
        USAGE(2),
        /** The target key directory (or stored key id) exists and is not empty. */
        TARGET_EXISTS(3),
        /** A key file is malformed, tampered, of the wrong kind, or fails a key equation. */
        INVALID_KEY(4),
        /** Reading or writing files failed (permissions, disk full, missing file). */
        IO(5),
        /** A sealed secret could not be opened: wrong key-encryption key or corrupted ciphertext. */
        UNSEAL(6),
        /** A remote key store (S3, Secrets Manager, KMS) refused or failed a request. */
        STORE(7);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public KeygenException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public KeygenException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static KeygenException usage(String message) {
        return new KeygenException(Kind.USAGE, message);
    }

    public static KeygenException invalidKey(String message) {
        return new KeygenException(Kind.INVALID_KEY, message);
    }
}
