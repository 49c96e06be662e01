package io.evkeygen.spi;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * Where key sets live: a local directory, or a remote store (AWS, Google Cloud, Vault; see
 * {@code io.evkeygen.spi.remote.RemoteKeyStore}). Saving is all or nothing and never overwrites an
 * existing key set.
 */
public interface KeyStore extends AutoCloseable {

    /**
     * Saves a key set under {@code keyId}: either every file the writer produced appears, or none.
     *
     * @throws KeygenException TARGET_EXISTS when the key id already holds data
     * @return a human-readable location of the saved set (a directory, a URI prefix)
     */
    String save(String keyId, KeySetWriter writer) throws IOException;

    /** Which key files are present for {@code keyId} (empty when none). */
    Set<KeyFileKind> parts(String keyId) throws IOException;

    /** A key set exists when its {@link KeyFileKind#REQUIRED} parts are all present (spec section 9). */
    default boolean exists(String keyId) throws IOException {
        return parts(keyId).containsAll(KeyFileKind.REQUIRED);
    }

    /** Opens one stored envelope. */
    InputStream open(String keyId, KeyFileKind kind) throws IOException;

    /** Removes the key set's files; absent files are ignored. */
    void delete(String keyId) throws IOException;

    /** The key ids holding a complete key set, sorted. */
    List<String> list() throws IOException;

    /**
     * The store's records ({@link RecordStore}) named {@code namespace} (for example {@code kms}), kept
     * beside its key sets and never listed as one. A store that cannot write conditionally refuses.
     *
     * @throws KeygenException USAGE when this store keeps no records
     */
    default RecordStore records(String namespace) {
        throw KeygenException.usage("this key store keeps no records (needed by the KMS): use a local, aws, gcp or"
                + " vault (KV v2) store");
    }

    /**
     * Replaces one secret part (SecKey, MetadataKey) of an existing set with {@code envelope} (its
     * UTF-8 JSON, already sealed), atomically in the store's service: a reader sees the old envelope
     * or the new one, never neither. The KMS rotates sealings with it; the public parts are untouched.
     *
     * @throws KeygenException USAGE when this store cannot replace one part; STORE or IO when the part
     *         is missing or the service fails
     */
    default void replaceSecret(String keyId, KeyFileKind kind, byte[] envelope) throws IOException {
        throw KeygenException.usage(getClass().getSimpleName() + " cannot replace one secret part of a key set:"
                + " use an aws, gcp or vault store, or reseal a local directory with KeySet.reseal");
    }

    /**
     * Deletes one secret part (SecKey, MetadataKey) for good; the public parts stay. A missing part is fine.
     *
     * @throws KeygenException USAGE when this store cannot delete one part
     */
    default void destroySecret(String keyId, KeyFileKind kind) throws IOException {
        throw KeygenException.usage(getClass().getSimpleName() + " cannot delete one secret part of a key set:"
                + " use an aws, gcp or vault store, or delete the file from a local directory");
    }

    /** Releases the store's clients; a local store holds nothing. */
    @Override
    default void close() {}
}
