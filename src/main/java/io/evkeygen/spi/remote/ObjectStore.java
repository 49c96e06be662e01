package io.evkeygen.spi.remote;

import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The port of a remote store for a key set's public parts (EncKey, EvalKey): an object store (S3,
 * Cloud Storage, Azure Blob) or a local directory. {@link RemoteKeyStore} calls it; each method
 * fails with a {@code KeygenException} naming the service's error code (TARGET_EXISTS when a create
 * finds the part taken), or with an {@code IOException}.
 */
public interface ObjectStore {

    /** Fails, before minutes of generation, when the store cannot take a key set (no bucket). */
    default void requireReady() {}

    /**
     * Creates one part from the staged set, streamed with its known length, refusing a part that
     * already exists. {@code saveId} names this save, for a store that marks its own objects.
     */
    void create(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) throws IOException;

    /**
     * Called for each public part once SecKey is created (the key id is ours): a store whose
     * conditional writes may be ignored puts back a part another writer overwrote meanwhile.
     */
    default void confirm(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) throws IOException {}

    boolean exists(String keyId, KeyFileKind kind) throws IOException;

    InputStream open(String keyId, KeyFileKind kind) throws IOException;

    /** Deletes one part; a missing part is fine. */
    void delete(String keyId, KeyFileKind kind) throws IOException;

    /**
     * Rolls back a part this save created: deletes it unless it is another writer's; returns whether
     * it was deleted (false: kept, another writer's).
     */
    default boolean deleteOwn(String keyId, KeyFileKind kind, String saveId) throws IOException {
        delete(keyId, kind);
        return true;
    }

    /** The key ids that hold every public part, from one listing; failures name what was listed. */
    Set<String> ids() throws IOException;

    /** Where a part lives, for messages ({@code s3://bucket/name}, a path). */
    String where(String keyId, KeyFileKind kind);
}
