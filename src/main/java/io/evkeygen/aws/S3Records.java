package io.evkeygen.aws;

import io.evkeygen.spi.RecordStore.Versioned;
import io.evkeygen.spi.remote.VersionedObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Records as S3 objects, versioned by their ETag: create is PutObject with {@code If-None-Match: *},
 * replace is PutObject with {@code If-Match: <etag>}; S3 answers 412 (or 409 for a concurrent
 * conditional write) when the condition fails, which is a false here. Every call is bounded by the
 * client's call deadline ({@code --store_timeout}). These writes need an endpoint that honours the
 * conditions (AWS S3 since 2024, MinIO, S3Proxy): nothing is checked beforehand that a racing
 * writer could slip past.
 */
final class S3Records implements VersionedObjects {
    private static final String CONTENT_TYPE = "application/json";

    private final S3Client s3;
    private final String bucket;

    S3Records(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<Versioned> read(String name) {
        ResponseBytes<GetObjectResponse> r;
        try {
            r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(name));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (AwsErrors.status(e) == 404) {
                return Optional.empty();
            }
            throw AwsErrors.failure(e);
        }
        return Optional.of(new Versioned(r.asByteArray(), r.response().eTag()));
    }

    @Override
    public boolean createIfAbsent(String name, byte[] bytes) {
        return put(name, bytes, "*", null);
    }

    @Override
    public boolean replaceIfTag(String name, byte[] bytes, String tag) {
        return put(name, bytes, null, tag);
    }

    /** One conditional PutObject; false when S3 refused the condition, or the object to match is gone (404). */
    private boolean put(String name, byte[] bytes, String ifNoneMatch, String ifMatch) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(name).contentType(CONTENT_TYPE).contentLength((long) bytes.length)
                    .ifNoneMatch(ifNoneMatch).ifMatch(ifMatch), RequestBody.fromBytes(bytes));
            return true;
        } catch (SdkException e) {
            if (S3Objects.preconditionFailed(e) || (ifMatch != null && AwsErrors.status(e) == 404)) {
                return false;
            }
            throw AwsErrors.failure(e);
        }
    }

    @Override
    public void delete(String name) {
        AwsErrors.run(() -> s3.deleteObject(b -> b.bucket(bucket).key(name)));
    }

    @Override
    public List<String> names(String folder) {
        return AwsErrors.call(() -> {
            List<String> keys = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder)).contents()) {
                keys.add(o.key());
            }
            return keys;
        });
    }

    @Override
    public String where(String name) {
        return "s3://" + bucket + "/" + name;
    }
}
