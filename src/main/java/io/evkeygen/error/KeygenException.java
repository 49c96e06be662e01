package io.evkeygen.error;

import java.util.Optional;

/**
 * The one exception type of the library. Its {@link Kind} says what went wrong; its message is a
 * single line that never contains secret material and never names a command-line flag (a
 * {@link Setting} says which input was wrong, and the CLI names its flag).
 */
public class KeygenException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** Unexpected internal failure. */
        FAILURE,
        /** A bad input: malformed seed, unknown preset or eval mode, bad dimension or key id. */
        USAGE,
        /** The target key directory (or stored key id) exists and is not empty. */
        TARGET_EXISTS,
        /** A key file is malformed, tampered, of the wrong kind, or fails a key equation. */
        INVALID_KEY,
        /** Reading or writing files failed (permissions, disk full, missing file). */
        IO,
        /** A sealed secret could not be opened: wrong key-encryption key or corrupted ciphertext. */
        UNSEAL,
        /** A remote key store, KMS or server refused or failed a request. */
        STORE
    }

    /** The input a {@link Kind#USAGE} (or related) error is about, so a front end can name its own option. */
    public enum Setting {
        SEED, KEY_ID, THREADS, REGION, BUCKET, KEK, KMS_KEY,
        /** The Google Cloud project of a GCP key store. */
        PROJECT,
        /** The address, mount or token of a Vault key store. */
        VAULT,
        /** The Vault Transit key (and its mount) of a master key. */
        TRANSIT_KEY,
        /** Plaintext to a host that is not loopback (an enVector server or a remote key store). */
        PLAINTEXT_REMOTE,
        /** The explicit opt-in to a MetadataKey in an older, unbound layout (or with nothing to bind it to). */
        LEGACY_METADATA_KEY,
        /** The name prefix of a remote key store's secrets and objects. */
        PREFIX,
        /** The deadline of one remote key store call. */
        STORE_TIMEOUT
    }

    private final Kind kind;
    private final transient Setting setting;

    public KeygenException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public KeygenException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public KeygenException(Kind kind, String message, Setting setting, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.setting = setting;
    }

    public Kind kind() {
        return kind;
    }

    /** The input this error is about, when it is about one. */
    public Optional<Setting> setting() {
        return Optional.ofNullable(setting);
    }

    public static KeygenException usage(String message) {
        return new KeygenException(Kind.USAGE, message);
    }

    public static KeygenException usage(Setting setting, String message) {
        return new KeygenException(Kind.USAGE, message, setting, null);
    }

    public static KeygenException invalidKey(String message) {
        return new KeygenException(Kind.INVALID_KEY, message);
    }
}
