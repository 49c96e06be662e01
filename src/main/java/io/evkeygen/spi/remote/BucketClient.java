package io.evkeygen.spi.remote;

import java.io.InputStream;
import java.util.List;

/**
 * A bucket of objects addressed by name (S3, Cloud Storage, Azure Blob): what {@link BucketObjects}
 * needs of a service client. Methods throw the client's own exceptions.
 */
public interface BucketClient {

    /** Fails with a STORE error naming the problem (no such bucket, access denied). */
    void requireBucket();

    /** Uploads the blob with its known length, refusing a name that exists; {@code saveId} names this save. */
    void create(String name, StagedBlob blob, String saveId);

    boolean exists(String name);

    /** The object's bytes (the caller closes the stream). */
    InputStream open(String name);

    /** Deletes the object; a missing one is fine. */
    void delete(String name);

    /** Every object name under {@code prefix}. */
    List<String> names(String prefix);

    /** The object's URL, for messages ({@code s3://bucket/name}). */
    String url(String name);
}
