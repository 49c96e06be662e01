package io.evkeygen.gcp;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.evkeygen.spi.RecordStore.Versioned;
import io.evkeygen.spi.remote.VersionedObjects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records as Cloud Storage objects, versioned by their generation: create uploads with
 * {@code ifGenerationMatch=0}, replace with {@code ifGenerationMatch=<generation>}; Cloud Storage
 * answers 412 when the condition fails, which is a false here. Generations are never reused, so a tag
 * read before a delete and re-create cannot match again. Every call is bounded by the client's
 * deadline ({@code --store_timeout}, {@link GcpClients}).
 */
final class GcsRecords implements VersionedObjects {
    /** Reads retried when the object changed between reading its generation and its bytes. */
    private static final int READ_ATTEMPTS = 3;

    private final Storage storage;
    private final String bucket;

    GcsRecords(Storage storage, String bucket) {
        this.storage = storage;
        this.bucket = bucket;
    }

    /** The bytes of the generation just seen, so bytes and tag always belong together. */
    @Override
    public Optional<Versioned> read(String name) {
        for (int attempt = 1; ; attempt++) {
            Blob b = GcpErrors.call(() -> storage.get(BlobId.of(bucket, name)));
            if (b == null) {
                return Optional.empty();
            }
            long generation = b.getGeneration();
            try {
                return Optional.of(new Versioned(storage.readAllBytes(BlobId.of(bucket, name, generation)),
                        Long.toString(generation)));
            } catch (RuntimeException e) {
                if (GcpErrors.http(e) != 404 || attempt == READ_ATTEMPTS) {
                    throw GcpErrors.failure(e);
                }
                // replaced or deleted since the get: look again
            }
        }
    }

    @Override
    public boolean createIfAbsent(String name, byte[] bytes) throws IOException {
        return upload(BlobId.of(bucket, name), bytes, Storage.BlobWriteOption.doesNotExist());
    }

    @Override
    public boolean replaceIfTag(String name, byte[] bytes, String tag) throws IOException {
        long generation;
        try {
            generation = Long.parseLong(tag);
        } catch (NumberFormatException e) {
            return false; // not a generation of ours: it cannot match
        }
        if (generation <= 0) {
            return false;
        }
        return upload(BlobId.of(bucket, name, generation), bytes, Storage.BlobWriteOption.generationMatch());
    }

    /** One conditional upload; false on HTTP 412 (the condition did not hold). */
    private boolean upload(BlobId id, byte[] bytes, Storage.BlobWriteOption condition) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(id).setContentType(GcsObjects.CONTENT_TYPE).build();
        try {
            storage.createFrom(info, new ByteArrayInputStream(bytes), condition);
            return true;
        } catch (RuntimeException e) {
            if (GcpErrors.http(e) == 412) {
                return false;
            }
            throw GcpErrors.failure(e);
        }
    }

    @Override
    public void delete(String name) {
        GcpErrors.run(() -> storage.delete(BlobId.of(bucket, name)));
    }

    @Override
    public List<String> names(String folder) {
        return GcpErrors.call(() -> {
            List<String> names = new ArrayList<>();
            for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(folder)).iterateAll()) {
                names.add(b.getName());
            }
            return names;
        });
    }

    @Override
    public String where(String name) {
        return "gs://" + bucket + "/" + name;
    }
}
