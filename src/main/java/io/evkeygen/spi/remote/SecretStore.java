package io.evkeygen.spi.remote;

import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.util.Set;

/**
 * The port of a remote store for a key set's secret parts (SecKey, MetadataKey): a secret manager
 * or a KV engine holding each envelope as text. {@link RemoteKeyStore} calls it; each method fails
 * with a {@code KeygenException} naming the service's error code (TARGET_EXISTS when a create finds
 * the secret taken), or with an {@code IOException}.
 */
public interface SecretStore {

    /**
     * The service, named in messages ({@code Secrets Manager}), and the largest envelope it takes: a
     * larger one is refused before any upload.
     */
    Limit limit();

    /** A secret service's name and its limit on one value ({@link Long#MAX_VALUE}: none). */
    record Limit(String service, long maxValueBytes) {}

    /** Creates a secret holding {@code envelope}, refusing one that exists. */
    void create(String keyId, KeyFileKind kind, String envelope) throws IOException;

    /**
     * Replaces the envelope of an existing secret, atomically in the service, and removes the older
     * values where the service allows it (so an old sealing does not linger); fails when the secret is
     * missing or changed meanwhile.
     */
    void replace(String keyId, KeyFileKind kind, String envelope) throws IOException;

    /** The envelope's bytes (UTF-8). */
    byte[] get(String keyId, KeyFileKind kind) throws IOException;

    boolean exists(String keyId, KeyFileKind kind) throws IOException;

    /** Deletes one secret at once (no recovery window, so the name can be used again); a missing one is fine. */
    void delete(String keyId, KeyFileKind kind) throws IOException;

    /** Of {@code candidates}, the key ids whose SecKey is present, from one listing where the service has one. */
    Set<String> holdingSecKey(Set<String> candidates) throws IOException;

    /** Where a secret lives, for messages. */
    String where(String keyId, KeyFileKind kind);
}
