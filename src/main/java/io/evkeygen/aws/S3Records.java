package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.RecordStore.Versioned;
import io.evkeygen.spi.remote.VersionedObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * client's call deadline ({@code --store_timeout}). Exactly one winner needs an endpoint that checks
 * the condition atomically with the write, as AWS S3 does (since 2024). One that ignores the conditions
 * is found by a probe before the first write and refused, never trusted; one that checks and then
 * writes (S3Proxy, a test server) leaves racing writers the gap between the two. Each object carries a
 * writer marker, so that a put the SDK retried after its first attempt landed is told from a lost race.
 */
final class S3Records implements VersionedObjects {
    private static final String CONTENT_TYPE = "application/json";

    private final S3Client s3;
    private final String bucket;
    private volatile boolean checked;

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

    /**
     * One conditional PutObject, marked with a fresh writer id; false when S3 refused the condition, or
     * the object to match is gone (404). A refusal of an object that carries this put's own marker is
     * a success: the SDK retried a put whose first attempt got through (its answer was lost).
     */
    private boolean put(String name, byte[] bytes, String ifNoneMatch, String ifMatch) {
        requireConditionalWrites(name);
        String writer = UUID.randomUUID().toString();
        try {
            s3.putObject(b -> b.bucket(bucket).key(name).contentType(CONTENT_TYPE).contentLength((long) bytes.length)
                    .metadata(Map.of(S3Objects.WRITER, writer)).ifNoneMatch(ifNoneMatch).ifMatch(ifMatch),
                    RequestBody.fromBytes(bytes));
            return true;
        } catch (SdkException e) {
            if (S3Objects.preconditionFailed(e) || (ifMatch != null && AwsErrors.status(e) == 404)) {
                return writer.equals(writerOf(name));
            }
            throw AwsErrors.failure(e);
        }
    }

    private String writerOf(String name) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(name)).metadata().get(S3Objects.WRITER);
        } catch (SdkException e) {
            return null; // missing, or cannot tell: not ours
        }
    }

    /**
     * Once per store, before the first write: an endpoint that ignores {@code If-None-Match} or
     * {@code If-Match} would let two writers both win, so it is refused (exit 7) rather than trusted. A
     * probe object beside the records is written unconditionally, then with both conditions that must
     * fail, then deleted.
     */
    private void requireConditionalWrites(String name) {
        if (checked) {
            return;
        }
        synchronized (this) {
            if (checked) {
                return;
            }
            String probe = name.substring(0, name.lastIndexOf('/') + 1) + ".conditional-write-probe-" + UUID.randomUUID();
            try {
                boolean ignored;
                s3.putObject(b -> b.bucket(bucket).key(probe).contentType(CONTENT_TYPE), RequestBody.fromBytes(new byte[0]));
                try {
                    ignored = conditionHeld(probe, "*", null) || conditionHeld(probe, null, "\"0\"");
                } finally {
                    s3.deleteObject(b -> b.bucket(bucket).key(probe));
                }
                if (ignored) {
                    throw new KeygenException(KeygenException.Kind.STORE, "the S3 endpoint of s3://" + bucket
                            + " ignores If-None-Match or If-Match on PutObject: records need conditional writes"
                            + " (AWS S3, MinIO, S3Proxy have them)");
                }
            } catch (SdkException e) {
                throw AwsErrors.store("checking conditional writes in s3://" + bucket, e);
            }
            checked = true;
        }
    }

    /** Whether a put with these conditions went through (false: refused with 412 as it must be). */
    private boolean conditionHeld(String probe, String ifNoneMatch, String ifMatch) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(probe).contentType(CONTENT_TYPE).ifNoneMatch(ifNoneMatch)
                    .ifMatch(ifMatch), RequestBody.fromBytes(new byte[0]));
            return true;
        } catch (SdkException e) {
            if (S3Objects.preconditionFailed(e)) {
                return false;
            }
            throw e;
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
