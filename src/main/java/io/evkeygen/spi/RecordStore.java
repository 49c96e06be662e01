package io.evkeygen.spi;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Small documents kept beside a store's key sets, one per key id, written with compare-and-set: what
 * lets several processes (KMS replicas) share one store and still agree on who generates a key set.
 * Each store maps the two conditional writes to its own: an exclusive file create and a checked
 * rename (local), S3 {@code If-None-Match: *} / {@code If-Match}, Cloud Storage
 * {@code ifGenerationMatch}, Vault KV v2 {@code cas}.
 */
public interface RecordStore {

    /** A record's bytes and the store's version tag of them (an ETag, a generation, a KV version...). */
    record Versioned(byte[] bytes, String tag) {}

    /** The record of {@code keyId}, or empty. */
    Optional<Versioned> read(String keyId) throws IOException;

    /** Creates the record; false (nothing written) when one exists. */
    boolean create(String keyId, byte[] bytes) throws IOException;

    /** Replaces the record if it still carries {@code tag}; false (nothing written) when another writer changed or deleted it. */
    boolean replace(String keyId, byte[] bytes, String tag) throws IOException;

    /** Deletes the record; a missing one is fine. */
    void delete(String keyId) throws IOException;

    /** The key ids holding a record. */
    Set<String> ids() throws IOException;
}
