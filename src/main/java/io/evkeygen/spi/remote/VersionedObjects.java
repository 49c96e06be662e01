package io.evkeygen.spi.remote;

import io.evkeygen.spi.RecordStore.Versioned;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The port of a remote store for small documents written with compare-and-set (the service's own
 * conditional writes): what {@link RemoteRecords} needs of S3, Cloud Storage or Vault KV v2. Names are
 * full object names or KV paths; each method fails with a {@code KeygenException} naming the
 * service's error, or an {@code IOException}, and never with a refused condition: that is a false.
 */
public interface VersionedObjects {

    /** The document and its version tag, or empty when there is none. */
    Optional<Versioned> read(String name) throws IOException;

    /** Writes only if no document has this name (S3 {@code If-None-Match: *}, {@code ifGenerationMatch=0}, {@code cas=0}). */
    boolean createIfAbsent(String name, byte[] bytes) throws IOException;

    /** Writes only if the document still carries {@code tag}; false when it changed or is gone. */
    boolean replaceIfTag(String name, byte[] bytes, String tag) throws IOException;

    /** Deletes the document; a missing one is fine. */
    void delete(String name) throws IOException;

    /** Every document name under {@code folder} (which ends with '/'). */
    List<String> names(String folder) throws IOException;

    /** Where a document lives, for messages ({@code s3://bucket/name}). */
    String where(String name);
}
