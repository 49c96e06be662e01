package io.evkeygen.gcp;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.BucketClient;
import io.evkeygen.spi.remote.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;

/**
 * The Cloud Storage calls of the key store: bucket check, create-only-if-absent uploads
 * ({@code ifGenerationMatch=0}, resumable, so a large EvalKey streams from its staging file), reads,
 * existence, deletion and listing.
 */
final class GcsObjects implements BucketClient {
    static final String CONTENT_TYPE = "application/json";

    private final Storage storage;
    private final String bucket;

    GcsObjects(Storage storage, String bucket) {
        this.storage = storage;
        this.bucket = bucket;
    }

    /** Fails with a STORE error naming the missing or refused bucket. */
    @Override
    public void requireBucket() {
        Bucket b;
        try {
            b = storage.get(bucket);
        } catch (RuntimeException e) {
            int status = GcpErrors.http(e);
            if (status == 403) {
                throw new KeygenException(KeygenException.Kind.STORE, "checking bucket gs://" + bucket
                        + ": AccessDenied: storage.buckets.get refused or bad credentials (HTTP 403)", e);
            }
            throw GcpErrors.store("checking bucket gs://" + bucket, e);
        }
        if (b == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "checking bucket gs://" + bucket
                    + ": NoSuchBucket: the bucket does not exist (HTTP 404)");
        }
    }

    /** {@link #create(String, StagedBlob)}: objects need no writer marker, {@code ifGenerationMatch=0} decides. */
    @Override
    public void create(String name, StagedBlob blob, String saveId) {
        create(name, blob);
    }

    @Override
    public String url(String name) {
        return "gs://" + bucket + "/" + name;
    }

    /** Uploads the blob, refusing to replace an existing object (HTTP 412 then). */
    void create(String name, StagedBlob blob) {
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, name)).setContentType(CONTENT_TYPE).build();
        try (InputStream in = blob.open()) {
            storage.createFrom(info, in, Storage.BlobWriteOption.doesNotExist());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean exists(String name) {
        return storage.get(BlobId.of(bucket, name)) != null;
    }

    /** The object's bytes as a stream (the caller closes it). */
    @Override
    public InputStream open(String name) {
        Blob b = storage.get(BlobId.of(bucket, name));
        if (b == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "NotFound (HTTP 404)");
        }
        // pinned to the generation seen, so a concurrent replacement cannot mix two objects
        return Channels.newInputStream(storage.reader(BlobId.of(bucket, name, b.getGeneration())));
    }

    /** Deletes the object; a missing object is fine. */
    @Override
    public void delete(String name) {
        storage.delete(BlobId.of(bucket, name));
    }

    /** Every object name under {@code prefix}. */
    @Override
    public List<String> names(String prefix) {
        List<String> names = new ArrayList<>();
        for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
            names.add(b.getName());
        }
        return names;
    }
}
