package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.BucketClient;
import io.evkeygen.spi.remote.StagedBlob;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls of the key store, for one bucket: PutObject (multipart above the part size, so no
 * request body is larger than one part; conditional on the key being free), HeadObject, GetObject (in
 * ranges of the part size), DeleteObject, ListObjectsV2, and
 * AbortMultipartUpload when a multipart upload fails. Errors are {@link SdkException}s; callers
 * turn them into messages naming the part.
 */
final class S3Objects implements BucketClient {
    private static final String CONTENT_TYPE = "application/json";

    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final Duration callTimeout;

    S3Objects(S3Client s3, String bucket, long partSize) {
        this(s3, bucket, partSize, StoreAccess.DEFAULT.callTimeout());
    }

    /** {@code callTimeout} bounds each response body read after its call returned (the SDK bounds the call). */
    S3Objects(S3Client s3, String bucket, long partSize, Duration callTimeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.callTimeout = callTimeout;
    }

    String bucket() {
        return bucket;
    }

    /**
     * User metadata ({@code x-amz-meta-evkeygen-writer}) naming the save that wrote an object: a
     * rollback deletes only objects that still carry its own value.
     */
    static final String WRITER = "evkeygen-writer";

    /**
     * Creates the object marked with this save's id, refusing a key that exists: checked just before
     * (where the endpoint ignores {@code If-None-Match}, this check is what keeps us from overwriting
     * another writer's object), then written with {@code If-None-Match: *}. A 412 on an object that
     * carries our marker is ours: the SDK retried a PutObject whose first attempt got through.
     */
    @Override
    public void create(String key, StagedBlob blob, String saveId) {
        if (exists(key)) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "the object already exists");
        }
        try {
            put(key, blob, saveId, true);
        } catch (SdkException e) {
            if (!preconditionFailed(e) || !writtenBy(key, saveId)) {
                throw e;
            }
        }
    }

    /** Whether the object carries this save's marker; false when that cannot be told. */
    private boolean writtenBy(String key, String saveId) {
        try {
            return saveId.equals(writerOf(key));
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /**
     * Uploads a staged blob, streaming it from memory or its spill file with a known length, marked
     * with {@code writer}. With {@code create}, only if no object has that key ({@code If-None-Match: *}
     * on PutObject and CompleteMultipartUpload): S3 answers 412 when another writer got there first
     * ({@link #preconditionFailed}); endpoints without conditional writes ignore the header.
     */
    void put(String key, StagedBlob blob, String writer, boolean create) {
        long length = blob.length();
        String ifNoneMatch = create ? "*" : null;
        if (length <= partSize) {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength(length)
                    .metadata(Map.of(WRITER, writer)).ifNoneMatch(ifNoneMatch), body(blob, 0, length));
        } else {
            putMultipart(key, blob, writer, ifNoneMatch);
        }
    }

    private void putMultipart(String key, StagedBlob blob, String writer, String ifNoneMatch) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .metadata(Map.of(WRITER, writer))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long length = blob.length();
            int number = 1;
            for (long off = 0; off < length; off += partSize, number++) {
                long len = Math.min(partSize, length - off);
                int n = number;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                        .contentLength(len), body(blob, off, len)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch(ifNoneMatch)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /**
     * True when S3 refused a conditional write because the object exists: 412 PreconditionFailed, or
     * 409 ConditionalRequestConflict (a concurrent conditional write to the same key).
     */
    static boolean preconditionFailed(SdkException e) {
        int status = AwsErrors.status(e);
        return status == 412 || "PreconditionFailed".equals(AwsErrors.code(e))
                || (status == 409 && "ConditionalRequestConflict".equals(AwsErrors.code(e)));
    }

    /** HeadObject, or null when the object is missing (a HEAD's 404 may come without its error code). */
    private HeadObjectResponse head(String key) {
        try {
            return s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            if (AwsErrors.status(e) == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The object's writer marker, or null when the object is missing or unmarked. */
    String writerOf(String key) {
        HeadObjectResponse head = head(key);
        return head == null ? null : head.metadata().get(WRITER);
    }

    /**
     * Deletes the object only if {@code writer} wrote it: HeadObject checks the marker, then
     * DeleteObject with {@code If-Match} on the ETag just read, so an object another writer put in
     * between stays (an endpoint without conditional deletes narrows that window to the two calls).
     * Returns false when the object is missing or another writer's.
     */
    boolean deleteIfWrittenBy(String key, String writer) {
        HeadObjectResponse head = head(key);
        if (head == null || !writer.equals(head.metadata().get(WRITER))) {
            return false;
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key).ifMatch(head.eTag()));
        } catch (SdkException e) {
            if (preconditionFailed(e)) {
                return false; // replaced since the HEAD: not ours any more
            }
            if (AwsErrors.status(e) != 501) {
                throw e;
            }
            s3.deleteObject(r -> r.bucket(bucket).key(key)); // no conditional deletes here
        }
        return true;
    }

    private static RequestBody body(StagedBlob blob, long offset, long length) {
        return RequestBody.fromContentProvider(() -> {
            try {
                return blob.open(offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, length, CONTENT_TYPE);
    }

    /**
     * HeadBucket: fails with a STORE error naming {@code NoSuchBucket} or {@code AccessDenied} (a HEAD
     * response has no body, so the code is derived from the status).
     */
    @Override
    public void requireBucket() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            int status = AwsErrors.status(e);
            String what = "checking bucket s3://" + bucket;
            if (status == 404) {
                throw new KeygenException(KeygenException.Kind.STORE,
                        what + ": NoSuchBucket: the bucket does not exist (HTTP 404)", e);
            }
            if (status == 403) {
                throw new KeygenException(KeygenException.Kind.STORE,
                        what + ": AccessDenied: s3:ListBucket refused or bad credentials (HTTP 403)", e);
            }
            throw AwsErrors.store(what, e);
        }
    }

    /** Whether the object exists (HeadObject; 404 means no). */
    @Override
    public boolean exists(String key) {
        return head(key) != null;
    }

    /**
     * The object's bytes as a stream (the caller closes it), read in ranges of the part size, each
     * within the deadline: see {@link S3RangedInputStream}.
     */
    @Override
    public InputStream open(String key) {
        return new S3RangedInputStream(s3, bucket, key, partSize, callTimeout);
    }

    /** Deletes the object; S3 treats a missing key as success. */
    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    @Override
    public List<String> names(String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            keys.add(o.key());
        }
        return keys;
    }
}
